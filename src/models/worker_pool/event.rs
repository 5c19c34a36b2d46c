//! What one step of the worker pool did, and how to say it to a learner.

use crate::sim::text::Lang;
use crate::sim::time::{to_secs, Nanos};

pub type TaskId = u64;

/// Where an arriving task went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrivalOutcome {
    /// A worker was parked on the channel's recvq: the send handed the task over directly.
    ToWorker { worker: u32 },
    /// No worker was free; the task took a buffer slot (`len` slots now used).
    Buffered { len: u64 },
    /// The buffer was full and the producer parked on the channel's sendq (`waiting` senders now).
    SenderParked { waiting: u64 },
    /// The buffer was full and `select` took its `default` branch.
    Dropped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerPoolEvent {
    Arrived {
        at: Nanos,
        task: TaskId,
        outcome: ArrivalOutcome,
    },
    Completed {
        at: Nanos,
        task: TaskId,
        worker: u32,
        /// Time from arrival to completion.
        sojourn: Nanos,
        /// The task the worker received next from the channel, if one was waiting.
        next: Option<TaskId>,
    },
}

impl WorkerPoolEvent {
    pub fn at(&self) -> Nanos {
        match *self {
            WorkerPoolEvent::Arrived { at, .. } | WorkerPoolEvent::Completed { at, .. } => at,
        }
    }

    /// One sentence for the narration line, in the learner's language.
    pub fn narrate(&self, lang: Lang) -> String {
        let t = to_secs(self.at());
        match (*self, lang) {
            (WorkerPoolEvent::Arrived { task, outcome, .. }, Lang::En) => match outcome {
                ArrivalOutcome::ToWorker { worker } => format!(
                    "{t:.6} s: task {task} arrived; worker {worker} was parked on recvq, so the send handed it over directly."
                ),
                ArrivalOutcome::Buffered { len } => format!(
                    "{t:.6} s: task {task} arrived; every worker was busy, so it took a buffer slot ({len} in the buffer)."
                ),
                ArrivalOutcome::SenderParked { waiting } => format!(
                    "{t:.6} s: task {task} arrived to a full buffer; its producer parked on sendq ({waiting} waiting)."
                ),
                ArrivalOutcome::Dropped => format!(
                    "{t:.6} s: task {task} arrived to a full buffer; select took default and dropped it."
                ),
            },
            (WorkerPoolEvent::Arrived { task, outcome, .. }, Lang::Zh) => match outcome {
                ArrivalOutcome::ToWorker { worker } => format!(
                    "{t:.6} 秒:任务 {task} 到达;worker {worker} 正在 recvq 上等待,send 直接把任务交给了它。"
                ),
                ArrivalOutcome::Buffered { len } => format!(
                    "{t:.6} 秒:任务 {task} 到达;所有 worker 都在忙,任务进入缓冲区(当前 {len} 个)。"
                ),
                ArrivalOutcome::SenderParked { waiting } => format!(
                    "{t:.6} 秒:任务 {task} 到达时缓冲区已满;生产者阻塞在 sendq 上(共 {waiting} 个在等)。"
                ),
                ArrivalOutcome::Dropped => format!(
                    "{t:.6} 秒:任务 {task} 到达时缓冲区已满;select 走了 default 分支,任务被丢弃。"
                ),
            },
            (
                WorkerPoolEvent::Completed {
                    task,
                    worker,
                    sojourn,
                    next,
                    ..
                },
                lang,
            ) => {
                let ms = sojourn as f64 / 1e6;
                match (next, lang) {
                    (Some(n), Lang::En) => format!(
                        "{t:.6} s: worker {worker} finished task {task} ({ms:.3} ms after it arrived) and received task {n} from the channel."
                    ),
                    (None, Lang::En) => format!(
                        "{t:.6} s: worker {worker} finished task {task} ({ms:.3} ms after it arrived); the channel was empty, so it parked on recvq."
                    ),
                    (Some(n), Lang::Zh) => format!(
                        "{t:.6} 秒:worker {worker} 完成任务 {task}(从到达起 {ms:.3} 毫秒),随即从 channel 取到任务 {n}。"
                    ),
                    (None, Lang::Zh) => format!(
                        "{t:.6} 秒:worker {worker} 完成任务 {task}(从到达起 {ms:.3} 毫秒);channel 为空,它阻塞在 recvq 上。"
                    ),
                }
            }
        }
    }
}
