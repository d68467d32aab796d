// SPDX-License-Identifier: MIT
//! What a zkVM guest runs: read one batch, re-execute it, return the
//! 160-byte public statement (include/zkclob/statement.h encoding) that
//! the guest commits. The SP1 and ZisK entry points only move bytes in and
//! out around `execute`.
//!
//! Guest input = `params_id u32 | batch_seq u64` (big-endian) followed by a
//! ZKCLOBB1 input (input.rs) with exactly one market and exactly one batch
//! of at least one op. old_root is the state-tree root of the loaded
//! snapshot, new_root the root after the batch (arity 4, as the native
//! CLOB statements).
//!
//! Trust note: the snapshot is the whole non-pristine state of the market,
//! so old_root is recomputed from it, not taken on faith; a verifier
//! accepts the statement only if old_root equals the previous batch's
//! new_root. Cost is linear in the live book, not in the batch (see
//! docs/zkvm.md for the path-based alternative).

use crate::input;
use crate::{run_batch, Engine, EngineError};

pub const STATEMENT_SIZE: usize = 160;
/// The arity of the appliance's state trees (zk_clob_commit, the CLOB AIR):
/// a zkVM proof must commit the same roots as a native proof of the same
/// batch, or the router could not fail over between them.
pub const ARITY: u32 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuestError {
    Truncated,
    Input(input::InputError),
    NotOneMarket,
    NotOneBatch,
    EmptyBatch,
    Engine(EngineError),
    Fault(u32, crate::book::Fault),
}

/// What the SP1 / ZisK guests run: the guest input of a PROVE request
/// (witness.rs), checked and re-executed; Ok(the public values to commit:
/// statement | market record).
pub fn execute(
    bytes: &[u8],
) -> Result<[u8; crate::witness::PUBLIC_SIZE], crate::witness::WitnessError> {
    crate::witness::execute(bytes)
}

/// The whole-book snapshot input (ZKCLOBB1 after params_id | batch_seq):
/// cost linear in the live book; kept for the differential test's
/// full-state comparison, not what the guests run.
pub fn execute_snapshot(bytes: &[u8]) -> Result<[u8; STATEMENT_SIZE], GuestError> {
    if bytes.len() < 12 {
        return Err(GuestError::Truncated);
    }
    let params_id = u32::from_be_bytes(bytes[0..4].try_into().unwrap());
    let batch_seq = u64::from_be_bytes(bytes[4..12].try_into().unwrap());
    let inp = input::decode(&bytes[12..]).map_err(GuestError::Input)?;
    if inp.markets.len() != 1 {
        return Err(GuestError::NotOneMarket);
    }
    if inp.batches.len() != 1 {
        return Err(GuestError::NotOneBatch);
    }
    let ops = &inp.batches[0];
    if ops.is_empty() {
        return Err(GuestError::EmptyBatch);
    }
    let market = inp.markets[0].market;
    let mut engine = Engine::new(&inp.markets).map_err(GuestError::Engine)?;
    engine
        .load_snapshot(
            inp.slots
                .iter()
                .map(|s| (s.market, s.kind, s.slot, &s.value)),
        )
        .map_err(GuestError::Engine)?;
    let old_root = engine.state_root(market, ARITY).unwrap();
    let r = run_batch(&mut engine, ops);
    if let Some((m, f)) = engine.first_fault() {
        return Err(GuestError::Fault(m, f));
    }
    let new_root = engine.state_root(market, ARITY).unwrap();

    let mut st = [0u8; STATEMENT_SIZE];
    st[0..4].copy_from_slice(&market.to_be_bytes());
    st[4..8].copy_from_slice(&params_id.to_be_bytes());
    st[8..16].copy_from_slice(&batch_seq.to_be_bytes());
    st[16..24].copy_from_slice(&r.first_seq.to_be_bytes());
    st[24..32].copy_from_slice(&r.last_seq.to_be_bytes());
    st[32..64].copy_from_slice(&old_root);
    st[64..96].copy_from_slice(&r.ops_digest);
    st[96..128].copy_from_slice(&r.events_digest);
    st[128..160].copy_from_slice(&new_root);
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::MarketParams;
    use crate::input::{Input, SlotEntry};
    use crate::types::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn params() -> MarketParams {
        MarketParams {
            market: 5,
            tick: 1,
            lot: 1,
            min_price: 1,
            max_price: 1000,
            max_qty: 100,
            stp: 0,
            max_orders: 16,
            max_levels: 8,
        }
    }

    fn op(seq: u64, id: u64, side: u8, price: i64) -> Op {
        Op {
            seq,
            order_id: id,
            account: id,
            price,
            qty: 10,
            market: 5,
            op_type: OP_NEW,
            side,
            ord_type: ORD_LIMIT,
            tif: TIF_GTC,
            ..Default::default()
        }
    }

    fn guest_input(slots: Vec<SlotEntry>, ops: Vec<Op>) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&7u32.to_be_bytes());
        b.extend_from_slice(&42u64.to_be_bytes());
        b.extend_from_slice(&input::encode(&Input {
            markets: vec![params()],
            slots,
            batches: vec![ops],
        }));
        b
    }

    #[test]
    fn statement_chains_across_batches() {
        let b1 = vec![op(1, 1, SIDE_BUY, 100), op(2, 2, SIDE_SELL, 105)];
        let b2 = vec![op(3, 3, SIDE_BUY, 105)];
        let s1 = execute_snapshot(&guest_input(Vec::new(), b1.clone())).unwrap();
        assert_eq!(&s1[0..4], &5u32.to_be_bytes());
        assert_eq!(&s1[4..8], &7u32.to_be_bytes());
        assert_eq!(&s1[8..16], &42u64.to_be_bytes());
        assert_eq!(&s1[16..24], &1u64.to_be_bytes());
        assert_eq!(&s1[24..32], &2u64.to_be_bytes());
        assert_eq!(&s1[64..96], &ops_digest(&b1));
        assert_ne!(s1[32..64], s1[128..160], "the book changed");

        // The second batch starts from the first one's state.
        let mut e = Engine::new(&[params()]).unwrap();
        let r1 = run_batch(&mut e, &b1);
        assert_eq!(&s1[96..128], &r1.events_digest);
        let slots = e
            .non_pristine_slots()
            .into_iter()
            .map(|(market, kind, slot, value)| SlotEntry {
                market,
                kind,
                slot,
                value,
            })
            .collect();
        let s2 = execute_snapshot(&guest_input(slots, b2.clone())).unwrap();
        assert_eq!(s2[32..64], s1[128..160], "old_root = previous new_root");
        let r2 = run_batch(&mut e, &b2);
        assert_eq!(&s2[96..128], &r2.events_digest);
        assert_eq!(&s2[128..160], &e.state_root(5, ARITY).unwrap());
    }

    #[test]
    fn malformed_guest_inputs_are_errors() {
        assert_eq!(execute_snapshot(&[0; 5]).err(), Some(GuestError::Truncated));
        let empty = guest_input(Vec::new(), Vec::new());
        assert_eq!(execute_snapshot(&empty).err(), Some(GuestError::EmptyBatch));
        let mut bad = guest_input(Vec::new(), vec![op(1, 1, SIDE_BUY, 100)]);
        bad[12] ^= 1;
        assert_eq!(
            execute_snapshot(&bad).err(),
            Some(GuestError::Input(input::InputError::BadMagic))
        );
    }
}
