//! Arbitrary bytes as a shared link's query string and as a playground program parameter.
//! Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gmplab::lesson::fuzz_link(data);
});
