//! The shared-map model's parameters and the checked [`Config`] built from them.

use crate::sim::params::{DefaultValue, ParamError, ParamKind, ParamSpec, ParamValue, Params};
use crate::sim::text::Text;

/// How the map is shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One `sync.RWMutex` around a Go map.
    RwMutex,
    /// `shards` maps, each behind its own `sync.RWMutex`, chosen by the key's hash.
    Sharded,
    /// `sync.Map`.
    SyncMap,
}

pub const MODES: &[&str] = &["rwmutex", "sharded", "sync_map"];

pub const SCHEMA: &[ParamSpec] = &[
    ParamSpec {
        name: "mode",
        kind: ParamKind::Choice(MODES),
        default: DefaultValue::Choice("rwmutex"),
        doc: Text::new(
            "rwmutex (one RWMutex and a map), sharded (one per shard) or sync_map.",
            "rwmutex(一个 RWMutex 加一个 map)、sharded(每个分片一个)或 sync_map。",
        ),
    },
    ParamSpec::int(
        "goroutines",
        1,
        256,
        8,
        Text::new(
            "Goroutines, each on its own P, working on the map.",
            "访问 map 的 goroutine 数,每个独占一个 P。",
        ),
    ),
    ParamSpec::int(
        "ops",
        1,
        1_000_000,
        2000,
        Text::new(
            "Operations each goroutine performs.",
            "每个 goroutine 执行的操作数。",
        ),
    ),
    ParamSpec::int(
        "read_pct",
        0,
        100,
        90,
        Text::new(
            "Share of operations that read, in percent.",
            "读操作的比例(百分比)。",
        ),
    ),
    ParamSpec::int(
        "new_key_pct",
        0,
        100,
        0,
        Text::new(
            "Share of writes that insert a key never seen before.",
            "写操作中插入全新键的比例。",
        ),
    ),
    ParamSpec::int(
        "keys",
        1,
        1_000_000,
        1000,
        Text::new("Keys in the map at the start.", "开始时 map 中的键数。"),
    ),
    ParamSpec::int(
        "shards",
        1,
        1024,
        32,
        Text::new("Shards (mode sharded).", "分片数(sharded 模式)。"),
    ),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub mode: Mode,
    pub goroutines: usize,
    pub ops: u64,
    pub read_pct: u64,
    pub new_key_pct: u64,
    pub keys: u64,
    pub shards: usize,
}

impl Config {
    pub fn from_params(p: &Params) -> Result<Self, ParamError> {
        let all = Params::over_defaults(SCHEMA, p)?;
        let mode = match all.get("mode") {
            Some(ParamValue::Choice(s)) if s == "rwmutex" => Mode::RwMutex,
            Some(ParamValue::Choice(s)) if s == "sharded" => Mode::Sharded,
            Some(ParamValue::Choice(s)) if s == "sync_map" => Mode::SyncMap,
            _ => {
                return Err(ParamError::new(
                    "mode",
                    format!("use one of {}", MODES.join(", ")),
                ))
            }
        };
        let n = |k: &str| all.num(k).map(|x| x as u64);
        Ok(Config {
            mode,
            goroutines: n("goroutines")? as usize,
            ops: n("ops")?,
            read_pct: n("read_pct")?,
            new_key_pct: n("new_key_pct")?,
            keys: n("keys")?,
            shards: if mode == Mode::Sharded {
                n("shards")? as usize
            } else {
                1
            },
        })
    }
}

crate::sim::kernel::configure!(Config, SCHEMA);
