//! "Embed in a course page": the iframe snippet for this lesson at its current settings, with the
//! embed options a lecturer picks (fixed settings, autoplay, auto-height), ready to copy.

use yew::prelude::*;

use super::StateProps;
use crate::sim::text::Lang;
use crate::web::dom;

/// The snippet: an iframe for `url`, and with `auto_height` the few lines that size it by the
/// lesson's `resize` messages (documented in docs/embedding.md).
pub fn snippet(url: &str, title: &str, auto_height: bool) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    let frame = format!(
        "<iframe id=\"gmplab\" src=\"{}\" title=\"GMP Lab: {}\"\n        style=\"width:100%;height:46rem;border:0\"></iframe>",
        esc(url),
        esc(title)
    );
    if !auto_height {
        return frame;
    }
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    format!(
        "{frame}\n<script>\n  addEventListener('message', (e) => {{\n    const f = document.getElementById('gmplab');\n    if (e.origin === '{origin}' && e.source === f.contentWindow && e.data?.type === 'resize') f.style.height = e.data.height + 'px';\n  }});\n</script>"
    )
}

#[function_component(EmbedSnippet)]
pub fn embed_snippet(p: &StateProps) -> Html {
    let st = &p.state;
    let zh = st.lang == Lang::Zh;
    let tr = |en: &'static str, zh_s: &'static str| if zh { zh_s } else { en };
    let fixed = use_state(|| true);
    let autoplay = use_state(|| false);
    let auto_height = use_state(|| true);
    let copied = use_state(|| false);
    let href = dom::href();
    let base = href.split('?').next().unwrap_or_default().to_string();
    let mut link = st.link();
    link.step = 0;
    let mut url = format!("{base}?{}&embed=1", link.encode());
    if *fixed {
        url.push_str("&fixed=1");
    }
    if *autoplay {
        url.push_str("&autoplay=1");
    }
    let title = super::embed_page::title_for(&st.lesson, &st.params(), st.lang);
    let code = snippet(&url, &title, *auto_height);
    let toggle = |h: &UseStateHandle<bool>| {
        let h = h.clone();
        let copied = copied.clone();
        Callback::from(move |_: Event| {
            h.set(!*h);
            copied.set(false);
        })
    };
    let on_copy = {
        let code = code.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            dom::copy_to_clipboard(&code);
            copied.set(true);
        })
    };
    html! {
        <details class="embed-snippet" data-testid="embed-snippet">
            <summary class="btn ghost">{tr("Embed in a course page", "嵌入到课程页面")}</summary>
            <div class="snippet-body">
                <label><input type="checkbox" checked={*fixed} onchange={toggle(&fixed)} data-option="fixed" />
                    {tr(" Fixed settings (learners cannot change them)", " 固定参数(学习者不能修改)")}</label>
                <label><input type="checkbox" checked={*autoplay} onchange={toggle(&autoplay)} data-option="autoplay" />
                    {tr(" Play when it loads", " 加载后自动播放")}</label>
                <label><input type="checkbox" checked={*auto_height} onchange={toggle(&auto_height)} data-option="auto-height" />
                    {tr(" Size the frame to its content", " 框架高度随内容自动调整")}</label>
                <textarea readonly=true rows="6" aria-label={tr("Embed code", "嵌入代码")} data-testid="embed-code" value={code.clone()} />
                <button class="btn small" onclick={on_copy} data-action="copy-embed">
                    { if *copied { tr("Copied", "已复制") } else { tr("Copy the code", "复制代码") } }
                </button>
            </div>
        </details>
    }
}
