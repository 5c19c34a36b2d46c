//! `gmplab render LESSON --out DIR`: runs a lesson to the end and writes each chart it shows as SVG,
//! drawn by the same chart code the browser uses on its canvas.

use std::path::Path;

use clap::Args;

use crate::session::report;
use crate::sim::text::Lang;

#[derive(Args, Debug, Clone)]
pub struct RenderArgs {
    /// A built-in lesson id or the path of a lesson file.
    pub lesson: String,
    /// The folder to write the SVG files into (created if missing).
    #[arg(long, default_value = "charts")]
    pub out: String,
    /// Set a parameter: --set name=value (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    #[arg(long, default_value_t = crate::lesson::link::DEFAULT_SEED)]
    pub seed: u64,
    /// Language of titles and axes: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Size of each chart in pixels.
    #[arg(long, default_value_t = 800)]
    pub width: u32,
    #[arg(long, default_value_t = 450)]
    pub height: u32,
}

/// Writes `<out>/<lesson>-<chart>.svg` for every chart; returns the list of files written.
pub fn render(args: &RenderArgs) -> Result<String, String> {
    let lesson = super::load_lesson(&args.lesson)?;
    let lang = Lang::parse(&args.lang)
        .ok_or_else(|| format!("unknown language `{}`; use en or zh", args.lang))?;
    let params = lesson
        .resolve(super::parse_settings(&args.set)?)
        .map_err(|e| e.to_string())?;
    let id = lesson.id.clone();
    let session = report::run_to_end(
        lesson,
        params,
        args.seed,
        crate::session::budget::Budget::default(),
    )?;
    let (w, h) = (args.width.clamp(200, 4000), args.height.clamp(150, 4000));
    let dir = Path::new(&args.out);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", args.out))?;
    let mut written = String::new();
    let figures = session.scenario().figures();
    let available: Vec<&str> = figures.iter().map(|f| f.id).collect();
    let shown = session.lesson().shown_charts(&available);
    for fig in figures.iter().filter(|f| shown.contains(&f.id)) {
        let svg = crate::chart::to_svg(fig, lang, w, h)?;
        let path = dir.join(format!("{id}-{}.svg", fig.id));
        std::fs::write(&path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push_str(&format!("{}\n", path.display()));
    }
    Ok(written)
}
