//! The few places the app touches the browser directly: the URL, localStorage, downloads, the
//! clipboard, the colour scheme. Every call tolerates a missing API (an embedded or locked-down page)
//! by doing nothing rather than failing.

use wasm_bindgen::JsCast;
use web_sys::{window, Element};

pub fn element_by_id(id: &str) -> Option<Element> {
    window()?.document()?.get_element_by_id(id)
}

/// The query string of the page's URL, without `?`.
pub fn query() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_string()
}

/// Replaces the URL's query without reloading or adding a history entry.
pub fn replace_query(query: &str) {
    let Some(w) = window() else { return };
    let Ok(path) = w.location().pathname() else {
        return;
    };
    if let Ok(h) = w.history() {
        let url = format!("{path}?{query}");
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The height of the page's content in CSS pixels (the body's box, not the viewport), rounded up.
pub fn content_height() -> Option<i32> {
    let body = web_sys::window()?.document()?.body()?;
    Some(body.get_bounding_client_rect().height().ceil() as i32)
}

/// The page's full URL.
pub fn href() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(Ok(Some(s))) = window().map(|w| w.local_storage()) {
        let _ = s.set_item(key, value);
    }
}

/// Goes to another page of the app (a relative link such as `?preview=1`).
pub fn navigate(href: &str) {
    if let Some(w) = window() {
        let _ = w.location().set_href(href);
    }
}

/// The language a link asks for (`lang=zh`), then the learner's last choice, then the browser's,
/// then English: the order every page uses.
pub fn initial_lang() -> crate::sim::text::Lang {
    use crate::sim::text::Lang;
    let q = query();
    form_urlencoded::parse(q.trim_start_matches('?').as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(&v))
        .or_else(|| storage_get("gmplab.lang").and_then(|l| Lang::parse(&l)))
        .or_else(browser_lang)
        .unwrap_or(Lang::En)
}

/// Marks the page's language on <html> (screen readers, CJK fonts and hyphenation follow it).
pub fn set_document_lang(lang: crate::sim::text::Lang) {
    if let Some(html) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let code = match lang {
            crate::sim::text::Lang::Zh => "zh-CN",
            crate::sim::text::Lang::En => "en",
        };
        let _ = html.set_attribute("lang", code);
    }
}

/// The browser's preferred language, if it is one the app speaks.
pub fn browser_lang() -> Option<crate::sim::text::Lang> {
    let l = window()?.navigator().language()?;
    crate::sim::text::Lang::parse(&l)
}

pub fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// A phone-sized screen: the page is one column there (the same width as style.css's breakpoint).
pub fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 980px)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

pub fn device_pixel_ratio() -> f64 {
    window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(1.0)
        .min(3.0)
}

/// Offers `text` as a file download named `name`.
pub fn download_text(name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
        download_url(name, &url);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// Clicks a temporary `<a download>` for `url`.
pub fn download_url(name: &str, url: &str) {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(url);
    a.set_download(name);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
}

/// Copies text to the clipboard (asynchronously; failures are silent, the link stays in the URL bar).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// If the engine panics, the wasm instance cannot continue: show a panel that says so, keeps the
/// page's content visible, and offers the details to copy.
///
/// Installed through yew's `set_custom_panic_hook`: yew's renderer would otherwise replace any hook
/// set before it with its own console-only one, and the panel would never show.
pub fn install_panic_notice() {
    yew::set_custom_panic_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(div) = doc.create_element("div") {
            div.set_class_name("crash-panel");
            div.set_attribute("role", "alert").ok();
            let msg = info.to_string();
            div.set_inner_html(
                "<strong>GMP Lab hit an internal error and stopped.</strong> \
                 <span>Your parameters and program are in the address bar; reload to continue.</span> \
                 <button type=\"button\" class=\"btn small primary\" data-reload>Reload and continue</button> \
                 <button type=\"button\" class=\"btn small\" data-copy-report>Copy report</button> \
                 <details><summary>Details</summary><pre></pre></details>",
            );
            if let Ok(Some(pre)) = div.query_selector("pre") {
                pre.set_text_content(Some(&msg));
            }
            if let Some(body) = doc.body() {
                let _ = body.append_child(&div);
            }
        }
    }));
}
