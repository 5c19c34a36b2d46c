//! What one step of the durable task queue did, and how to say it.

use crate::sim::text::Lang;
use crate::sim::time::{to_secs, Nanos};

#[derive(Clone, Debug, PartialEq)]
pub enum TaskQueueEvent {
    /// The broker logged and queued a task (`acked`: the producer already has its ack).
    Enqueued {
        at: Nanos,
        id: u64,
        resend: bool,
        acked: bool,
    },
    /// The broker was down: the send failed and the producer will resend after its timeout.
    SendFailed {
        at: Nanos,
        id: u64,
    },
    /// A resend whose sequence number was already in the log (idempotent producer).
    Deduplicated {
        at: Nanos,
        id: u64,
    },
    /// The WAL was synced: `records` became durable, `acked` tasks were acknowledged.
    Fsynced {
        at: Nanos,
        records: usize,
        acked: u64,
    },
    /// A consumer finished a task: `applied` if its effect reached the store (not a duplicate
    /// stopped by the idempotency key), `reported` if the broker logged it as done.
    Processed {
        at: Nanos,
        id: u64,
        consumer: u32,
        applied: bool,
        reported: bool,
    },
    Crashed {
        at: Nanos,
        lost_records: usize,
    },
    Recovered {
        at: Nanos,
        requeued: u64,
    },
}

impl TaskQueueEvent {
    pub fn narrate(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match *self {
            TaskQueueEvent::Enqueued {
                at,
                id,
                resend,
                acked,
            } => {
                let (t, what, ack) = (
                    to_secs(at),
                    if resend {
                        if zh {
                            "重发的"
                        } else {
                            "resent "
                        }
                    } else {
                        ""
                    },
                    acked,
                );
                match (zh, ack) {
                    (false, true) => format!("{t:.4} s: {what}task {id} was queued and acknowledged at once, before the WAL was synced."),
                    (false, false) => format!("{t:.4} s: {what}task {id} was appended to the WAL and queued; its ack waits for the next fsync."),
                    (true, true) => format!("{t:.4} 秒:{what}任务 {id} 入队并立即确认,此时 WAL 还没有落盘。"),
                    (true, false) => format!("{t:.4} 秒:{what}任务 {id} 写入 WAL 并入队;确认要等下一次 fsync。"),
                }
            }
            TaskQueueEvent::SendFailed { at, id } => {
                if zh {
                    format!(
                        "{:.4} 秒:broker 宕机,任务 {id} 发送失败;生产者超时后会重发。",
                        to_secs(at)
                    )
                } else {
                    format!("{:.4} s: the broker is down, so sending task {id} failed; the producer will resend it after its timeout.", to_secs(at))
                }
            }
            TaskQueueEvent::Deduplicated { at, id } => {
                if zh {
                    format!(
                        "{:.4} 秒:任务 {id} 的序列号已在日志里,重复的一份被丢弃(幂等生产者)。",
                        to_secs(at)
                    )
                } else {
                    format!("{:.4} s: task {id}'s sequence number is already logged, so the copy was dropped (idempotent producer).", to_secs(at))
                }
            }
            TaskQueueEvent::Fsynced { at, records, acked } => {
                if zh {
                    format!(
                        "{:.4} 秒:fsync 让 {records} 条 WAL 记录落盘,确认了 {acked} 个任务。",
                        to_secs(at)
                    )
                } else {
                    format!("{:.4} s: fsync made {records} WAL records durable and acknowledged {acked} tasks.", to_secs(at))
                }
            }
            TaskQueueEvent::Processed {
                at,
                id,
                consumer,
                applied,
                reported,
            } => {
                let t = to_secs(at);
                match (zh, applied, reported) {
                    (false, true, true) => format!("{t:.4} s: consumer {consumer} applied task {id} and reported it done."),
                    (false, true, false) => format!("{t:.4} s: consumer {consumer} applied task {id}, but the broker it came from crashed: nobody records it as done, so it will be delivered again."),
                    (false, false, _) => format!("{t:.4} s: consumer {consumer} skipped task {id}: its idempotency key is already in the store."),
                    (true, true, true) => format!("{t:.4} 秒:消费者 {consumer} 执行了任务 {id} 并报告完成。"),
                    (true, true, false) => format!("{t:.4} 秒:消费者 {consumer} 执行了任务 {id},但派发它的 broker 已经崩溃:没人记录它已完成,它会被再次投递。"),
                    (true, false, _) => format!("{t:.4} 秒:消费者 {consumer} 跳过了任务 {id}:它的幂等键已经在存储里。"),
                }
            }
            TaskQueueEvent::Crashed { at, lost_records } => {
                if zh {
                    format!("{:.4} 秒:broker 崩溃,丢失了 {lost_records} 条尚未 fsync 的 WAL 记录和内存中的队列。", to_secs(at))
                } else {
                    format!("{:.4} s: the broker crashed, losing {lost_records} WAL records that were not yet synced, and its in-memory queue.", to_secs(at))
                }
            }
            TaskQueueEvent::Recovered { at, requeued } => {
                if zh {
                    format!(
                        "{:.4} 秒:broker 重启,重放 WAL,重新入队 {requeued} 个未完成的任务。",
                        to_secs(at)
                    )
                } else {
                    format!("{:.4} s: the broker restarted and replayed its WAL, requeueing {requeued} tasks not logged as done.", to_secs(at))
                }
            }
        }
    }
}
