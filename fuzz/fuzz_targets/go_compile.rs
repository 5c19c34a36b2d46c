//! Arbitrary bytes through the Go front end: parse, check and compile, and when that succeeds run
//! the program for a bounded number of steps. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gmplab::golang::fuzz_entry(data);
});
