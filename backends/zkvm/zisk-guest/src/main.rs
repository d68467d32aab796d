// SPDX-License-Identifier: MIT
//! ZisK guest: reads the guest input v2 (guest-core/src/witness.rs) from ZisK's
//! input file, re-executes the batch and publishes its public values (the
//! 160-byte statement, then the 56-byte market record) as 54 output words
//! (big-endian u32 each, in order, so the host rebuilds the bytes by
//! writing each word big-endian). An input error panics: no proof, never a
//! statement for a rejected input.
#![no_main]
ziskos::entrypoint!(main);

fn main() {
    let input: Vec<u8> = ziskos::read_input();
    let public = zkclob_guest_core::guest::execute(&input)
        .unwrap_or_else(|e| panic!("zkclob guest: rejected input: {:?}", e));
    for (i, word) in public.chunks_exact(4).enumerate() {
        ziskos::set_output(i, u32::from_be_bytes(word.try_into().unwrap()));
    }
}
