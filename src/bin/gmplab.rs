//! `gmplab`: run lessons headless, for course authors, scripts and tests.
//!
//! ```text
//! gmplab run worker-pool --set workers=8 --seed 7 --json
//! gmplab run lessons/my-lesson.md --csv latency
//! gmplab lessons
//! gmplab check lessons/
//! gmplab render worker-pool --out charts/
//! gmplab go run prog.go --gomaxprocs 1
//! ```

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::process::ExitCode;

    use clap::{Parser, Subcommand};
    use gmplab::cli;

    #[derive(Parser)]
    #[command(
        name = "gmplab",
        version,
        about = "GMP Lab: Go concurrency, simulated."
    )]
    struct Cli {
        #[command(subcommand)]
        command: Cmd,
    }

    #[derive(Subcommand)]
    enum Cmd {
        /// Run a lesson to the end and print its summary metrics.
        Run(cli::RunArgs),
        /// Run a lesson to the end and write each chart as SVG (the browser's chart code).
        Render(cli::RenderArgs),
        /// List the built-in lessons.
        Lessons {
            /// Print JSON: parameters, questions, challenges with their answers, tour length.
            #[arg(long)]
            json: bool,
        },
        /// Validate lesson files (or folders of them): parse, run once, answer every question and
        /// grade every challenge's model answer.
        Check {
            /// Lesson files or folders.
            #[arg(required = true)]
            paths: Vec<String>,
        },
        /// Go programs on the simulated runtime.
        #[command(subcommand)]
        Go(GoCmd),
    }

    #[derive(Subcommand)]
    enum GoCmd {
        /// Run a Go program: its output, and its exit status, as `go run` gives them.
        Run(cli::GoRunArgs),
    }

    pub fn main() -> ExitCode {
        let args = Cli::parse();
        let result = match args.command {
            Cmd::Go(GoCmd::Run(a)) => {
                return match cli::go_run(&a) {
                    Ok(r) => {
                        use std::io::Write;
                        let _ = std::io::stdout().write_all(r.stdout.as_bytes());
                        let _ = std::io::stderr().write_all(r.stderr.as_bytes());
                        ExitCode::from(r.code.clamp(0, 255) as u8)
                    }
                    Err(e) => {
                        eprintln!("gmplab: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            Cmd::Run(a) => cli::run(&a),
            Cmd::Render(a) => cli::render(&a),
            Cmd::Lessons { json } => Ok(if json {
                cli::list_lessons_json()
            } else {
                cli::list_lessons()
            }),
            Cmd::Check { paths } => {
                return match cli::check(&paths) {
                    Ok(out) => {
                        print!("{out}");
                        ExitCode::SUCCESS
                    }
                    Err(out) => {
                        print!("{out}");
                        ExitCode::from(1)
                    }
                };
            }
        };
        match result {
            Ok(out) => {
                print!("{out}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("gmplab: {e}");
                ExitCode::from(2)
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

/// The CLI is native only; a wasm build of the crate (its tests) still compiles this target.
#[cfg(target_arch = "wasm32")]
fn main() {}
