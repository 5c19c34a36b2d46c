//! The keyboard help overlay, opened with `?` and closed with Escape or its button.

use yew::prelude::*;

use crate::sim::text::Lang;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub lang: Lang,
    pub on_close: Callback<()>,
}

#[function_component(Help)]
pub fn help(p: &HelpProps) -> Html {
    let zh = p.lang == Lang::Zh;
    let rows: [(&str, &str, &str); 7] = [
        ("Space", "Play or pause", "播放或暂停"),
        ("→", "One step forward", "前进一步"),
        ("←", "One step back", "后退一步"),
        ("R", "Back to the start", "回到开头"),
        ("E", "Run to the end", "跑到结束"),
        (
            "Ctrl+Enter",
            "Run the edited program (playground)",
            "运行修改后的程序(演练场)",
        ),
        ("?", "Show or hide this help", "显示或隐藏本帮助"),
    ];
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="help-backdrop" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help">
            <div class="help card">
                <h2 id="help-title">{ if zh { "键盘快捷键" } else { "Keyboard shortcuts" } }</h2>
                <table>
                    <tbody>
                        { for rows.iter().map(|(k, en, z)| html! {
                            <tr><td><kbd>{*k}</kbd></td><td>{ if zh { *z } else { *en } }</td></tr>
                        }) }
                    </tbody>
                </table>
                <button class="btn primary" onclick={close} autofocus=true>{ if zh { "关闭" } else { "Close" } }</button>
            </div>
        </div>
    }
}
