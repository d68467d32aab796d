// SPDX-License-Identifier: MIT
//! zkclob-zkvm-exec: runs the guest core natively on a guest input file,
//! the same computation the SP1 / ZisK guests perform, without a prover.
//! Used by tests/zkvm to compare the core with the C engine, and by hosts
//! to check an input before paying for a proof.
//!
//! Usage: zkclob-zkvm-exec INPUT OUTPUT
//!        zkclob-zkvm-exec --witness INPUTS OUTPUT
//! OUTPUT (big-endian): per batch `n_events u32 | events (64 B each) |
//! first_seq u64 | last_seq u64 | ops_digest[32] | events_digest[32]`,
//! then `slots_digest[32]` of the final state, then per market in id order
//! its Poseidon2 state-tree root[32] (arity 2). Exit 0 on success, 1 with a
//! message on stderr for unreadable or malformed input.
//!
//! --witness: INPUTS is a sequence of `len u32 | guest input v2` (what the
//! guests read, docs/zkvm.md); OUTPUT gets per input `0 | public values`
//! (statement[160] | market record[56]) when the guest accepts it, or `1 | len u16 | reason` when it refuses
//! it. Exit 0 once every input was judged, 1 when INPUTS is not such a
//! sequence.

use std::fs;
use std::process::ExitCode;

use zkclob_guest_core::{guest, input, run_batch, Engine};

fn run(in_path: &str, out_path: &str) -> Result<(), String> {
    let bytes = fs::read(in_path).map_err(|e| format!("{}: {}", in_path, e))?;
    let inp = input::decode(&bytes).map_err(|e| format!("{}: bad input: {:?}", in_path, e))?;
    let mut engine = Engine::new(&inp.markets).map_err(|e| format!("{}: {:?}", in_path, e))?;
    engine
        .load_snapshot(
            inp.slots
                .iter()
                .map(|s| (s.market, s.kind, s.slot, &s.value)),
        )
        .map_err(|e| format!("{}: {:?}", in_path, e))?;
    let mut out = Vec::new();
    for ops in &inp.batches {
        let r = run_batch(&mut engine, ops);
        if let Some((m, f)) = engine.first_fault() {
            return Err(format!("{}: market {}: {:?}", in_path, m, f));
        }
        out.extend_from_slice(&(r.events.len() as u32).to_be_bytes());
        for ev in &r.events {
            out.extend_from_slice(&ev.encode());
        }
        out.extend_from_slice(&r.first_seq.to_be_bytes());
        out.extend_from_slice(&r.last_seq.to_be_bytes());
        out.extend_from_slice(&r.ops_digest);
        out.extend_from_slice(&r.events_digest);
    }
    out.extend_from_slice(&engine.slots_digest());
    let ids: Vec<u32> = engine.market_ids().collect();
    for id in ids {
        out.extend_from_slice(
            &engine
                .state_root(id, zkclob_guest_core::guest::ARITY)
                .expect("the guest's arity is valid"),
        );
    }
    fs::write(out_path, &out).map_err(|e| format!("{}: {}", out_path, e))
}

fn run_witness(in_path: &str, out_path: &str) -> Result<(), String> {
    let bytes = fs::read(in_path).map_err(|e| format!("{}: {}", in_path, e))?;
    let mut rest = &bytes[..];
    let mut out = Vec::new();
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(format!("{}: truncated length", in_path));
        }
        let n = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        if rest.len() - 4 < n {
            return Err(format!("{}: truncated input", in_path));
        }
        match guest::execute(&rest[4..4 + n]) {
            Ok(st) => {
                out.push(0);
                out.extend_from_slice(&st);
            }
            Err(e) => {
                let why = format!("{:?}", e);
                out.push(1);
                out.extend_from_slice(&(why.len() as u16).to_be_bytes());
                out.extend_from_slice(why.as_bytes());
            }
        }
        rest = &rest[4 + n..];
    }
    fs::write(out_path, &out).map_err(|e| format!("{}: {}", out_path, e))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let r = match args.len() {
        3 => run(&args[1], &args[2]),
        4 if args[1] == "--witness" => run_witness(&args[2], &args[3]),
        _ => {
            eprintln!("usage: zkclob-zkvm-exec [--witness] INPUT OUTPUT");
            return ExitCode::from(2);
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zkclob-zkvm-exec: {}", e);
            ExitCode::from(1)
        }
    }
}
