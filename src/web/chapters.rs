//! The course's chapters by name, and a lesson's neighbours in course order, for the home page's
//! headings and the "previous / next lesson" links at the end of each lesson.

use crate::lesson::{catalog, Lesson};
use crate::sim::text::Lang;

/// A chapter's name, as the home page heads it ("Chapter 2 · Channels and worker pools").
pub fn chapter_name(n: u32, lang: Lang) -> Option<&'static str> {
    let zh = lang == Lang::Zh;
    let (en, zh_s) = match n {
        1 => ("Goroutines and the scheduler", "Goroutine 与调度器"),
        2 => ("Channels and worker pools", "Channel 与 worker pool"),
        3 => ("select", "select 多路复用"),
        4 => ("Backpressure", "背压"),
        5 => ("Goroutine leaks", "Goroutine 泄漏"),
        6 => ("Context and connection pools", "Context 与连接池"),
        7 => (
            "Reliability: limits, breakers, durable queues",
            "可靠性:限流、熔断与持久化队列",
        ),
        8 => (
            "Shared state: mutexes, maps, atomics",
            "共享状态:锁、map 与原子操作",
        ),
        9 => ("Case study: a flash sale", "实战:秒杀系统"),
        _ => return None,
    };
    Some(if zh { zh_s } else { en })
}

/// "Chapter 2 · Channels and worker pools" (or "第2章 · …").
pub fn chapter_heading(n: u32, lang: Lang) -> String {
    let number = match lang {
        Lang::En => format!("Chapter {n}"),
        Lang::Zh => format!("第{n}章"),
    };
    match chapter_name(n, lang) {
        Some(name) => format!("{number} · {name}"),
        None => number,
    }
}

/// The lessons before and after `id` in course order (by chapter, then as the catalogue lists them).
pub fn neighbours(id: &str) -> (Option<Lesson>, Option<Lesson>) {
    let mut all = catalog::lessons();
    all.sort_by_key(|l| l.chapter);
    let Some(i) = all.iter().position(|l| l.id == id) else {
        return (None, None);
    };
    let next = all.get(i + 1).cloned();
    let prev = i.checked_sub(1).and_then(|j| all.get(j).cloned());
    (prev, next)
}
