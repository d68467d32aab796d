// SPDX-License-Identifier: MIT
//! zkclob-sp1-host: the two commands zkclob-zkvm-host runs for SP1
//! (docs/zkvm.md, "Running SP1 / ZisK"). Untested here: the SP1 SDK is not
//! installable on our build machines.
//!
//!   zkclob-sp1-host prove  ELF INPUT PROOF PUBLIC
//!       proves the guest (ELF: sp1-guest built with `cargo prove build`)
//!       on the guest input file INPUT, writes the proof to PROOF and its
//!       public values (statement | market record, 216 bytes) to PUBLIC;
//!       exit 0, or 1.
//!   zkclob-sp1-host verify ELF PUBLIC PROOF
//!       exit 0 when PROOF verifies under ELF's verifying key and its
//!       public values are exactly PUBLIC's bytes (the host writes the
//!       statement and its own market record there), 1 when not, 2 when it
//!       could not tell (unreadable files).

use std::fs;
use std::process::ExitCode;

use sp1_sdk::{ProverClient, SP1ProofWithPublicValues, SP1Stdin};

fn prove(elf: &str, input: &str, proof: &str, public: &str) -> Result<(), String> {
    let elf = fs::read(elf).map_err(|e| format!("{}: {}", elf, e))?;
    let bytes = fs::read(input).map_err(|e| format!("{}: {}", input, e))?;
    let client = ProverClient::from_env();
    let (pk, _vk) = client.setup(&elf);
    let mut stdin = SP1Stdin::new();
    stdin.write_vec(bytes);
    let p = client
        .prove(&pk, &stdin)
        .compressed()
        .run()
        .map_err(|e| format!("prove: {}", e))?;
    fs::write(public, p.public_values.as_slice()).map_err(|e| format!("{}: {}", public, e))?;
    p.save(proof).map_err(|e| format!("{}: {}", proof, e))
}

fn verify(elf: &str, public: &str, proof: &str) -> ExitCode {
    let (elf, st) = match (fs::read(elf), fs::read(public)) {
        (Ok(e), Ok(s)) => (e, s),
        _ => return ExitCode::from(2),
    };
    let Ok(p) = SP1ProofWithPublicValues::load(proof) else {
        return ExitCode::from(1);
    };
    let client = ProverClient::from_env();
    let (_pk, vk) = client.setup(&elf);
    if p.public_values.as_slice() != st.as_slice() || client.verify(&p, &vk).is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let a: Vec<String> = std::env::args().collect();
    match a.get(1).map(String::as_str) {
        Some("prove") if a.len() == 6 => match prove(&a[2], &a[3], &a[4], &a[5]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("zkclob-sp1-host: {}", e);
                ExitCode::from(1)
            }
        },
        Some("verify") if a.len() == 5 => verify(&a[2], &a[3], &a[4]),
        _ => {
            eprintln!("usage: zkclob-sp1-host prove ELF INPUT PROOF PUBLIC | verify ELF PUBLIC PROOF");
            ExitCode::from(2)
        }
    }
}
