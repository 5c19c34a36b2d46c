//! Embed mode (`&embed=1`): a lesson inside a course page's iframe, with minimal chrome, optional
//! autoplay (`&autoplay=1`) and fixed parameters (`&fixed=1`), talking to the page through
//! `postMessage` (the API is documented in docs/embedding.md).
//!
//! Outgoing messages are objects `{source: "gmplab", type, ...}`: `ready`, `step` (throttled),
//! `quiz-answered` and `challenge-passed`. Incoming commands must look exactly like
//! `{source: "gmplab-host", type: "command", command: "play" | "pause" | "step" | "back" | "reset"}`;
//! anything else is ignored, and when the page lists `&origins=` only those origins are heard (and
//! the first one is the only origin messages are sent to).

use gloo::events::EventListener;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Embed {
    pub autoplay: bool,
    /// The learner cannot change parameters (the course page chose them).
    pub fixed: bool,
    /// Origins allowed to command the lesson and to receive its messages; empty: any.
    pub origins: Vec<String>,
}

/// A command a host page may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostCommand {
    Play,
    Pause,
    Step,
    Back,
    Reset,
}

impl Embed {
    /// Embed options from the query, when `embed=1` is there.
    pub fn from_query(query: &str) -> Option<Embed> {
        let mut embed = None;
        let mut e = Embed::default();
        for (k, v) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            let on = v == "1" || v == "true";
            match &*k {
                "embed" if on => embed = Some(()),
                "autoplay" => e.autoplay = on,
                "fixed" => e.fixed = on,
                "origins" => {
                    e.origins = v
                        .split(',')
                        .map(str::trim)
                        .filter(|o| o.starts_with("https://") || o.starts_with("http://"))
                        .take(8)
                        .map(str::to_string)
                        .collect()
                }
                _ => {}
            }
        }
        embed.map(|_| e)
    }

    /// The query pairs that keep embed mode across the app's URL rewrites.
    pub fn query_suffix(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("embed", "1");
        if self.autoplay {
            s.append_pair("autoplay", "1");
        }
        if self.fixed {
            s.append_pair("fixed", "1");
        }
        if !self.origins.is_empty() {
            s.append_pair("origins", &self.origins.join(","));
        }
        s.finish()
    }

    /// Sends `{source: "gmplab", type, ...fields}` to the embedding page.
    pub fn post(&self, kind: &str, fields: serde_json::Value) {
        let mut msg = serde_json::json!({ "source": "gmplab", "type": kind });
        if let (Some(m), serde_json::Value::Object(f)) = (msg.as_object_mut(), fields) {
            m.extend(f);
        }
        let Some(win) = web_sys::window() else { return };
        let Ok(Some(parent)) = win.parent() else {
            return;
        };
        let Ok(value) = js_sys::JSON::parse(&msg.to_string()) else {
            return;
        };
        let target = self.origins.first().map(String::as_str).unwrap_or("*");
        let _ = parent.post_message(&value, target);
    }

    /// Listens for host commands; `on` gets each valid one.
    pub fn listen(&self, on: impl Fn(HostCommand) + 'static) -> Option<EventListener> {
        let origins = self.origins.clone();
        let win = web_sys::window()?;
        Some(EventListener::new(&win, "message", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            if !origins.is_empty() && !origins.iter().any(|o| *o == e.origin()) {
                return;
            }
            if let Some(cmd) = parse_command(&e.data()) {
                on(cmd);
            }
        }))
    }
}

/// A host message, checked field by field: the exact shape or nothing.
fn parse_command(data: &wasm_bindgen::JsValue) -> Option<HostCommand> {
    if !data.is_object() {
        return None;
    }
    let get = |k: &str| {
        js_sys::Reflect::get(data, &wasm_bindgen::JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    if get("source").as_deref() != Some("gmplab-host") || get("type").as_deref() != Some("command")
    {
        return None;
    }
    match get("command")?.as_str() {
        "play" => Some(HostCommand::Play),
        "pause" => Some(HostCommand::Pause),
        "step" => Some(HostCommand::Step),
        "back" => Some(HostCommand::Back),
        "reset" => Some(HostCommand::Reset),
        _ => None,
    }
}
