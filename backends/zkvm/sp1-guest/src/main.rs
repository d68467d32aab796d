// SPDX-License-Identifier: MIT
//! SP1 guest: reads the guest input v2 (guest-core/src/witness.rs) as one byte
//! vector from SP1's input stream, re-executes the batch and commits the
//! 160-byte statement and the 56-byte market record as the public values
//! (witness.rs: the record binds the rules). Any input error panics, which
//! in SP1 means no proof is produced: a statement is only ever committed
//! for an input the core accepted.
#![no_main]
sp1_zkvm::entrypoint!(main);

pub fn main() {
    let input: Vec<u8> = sp1_zkvm::io::read_vec();
    let public = zkclob_guest_core::guest::execute(&input)
        .unwrap_or_else(|e| panic!("zkclob guest: rejected input: {:?}", e));
    sp1_zkvm::io::commit_slice(&public);
}
