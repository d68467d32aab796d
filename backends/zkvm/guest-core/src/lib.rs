// SPDX-License-Identifier: MIT
//! zkclob guest core: the batch transition of the C engine (engine/),
//! re-executed in `no_std` Rust so that a RISC-V zkVM (SP1, ZisK) can prove
//! it. Spec (docs/zkvm.md has the input/output layouts):
//!  - `Engine::apply` gives byte-identical events to zk_engine_apply and the
//!    same slot state (docs/engine.md), for the same market parameters.
//!  - `ops_digest` / `events_digest` are the statement's digests
//!    (BLAKE2b-256, "zkclob-ops-v1" / "zkclob-events-v1").
//!  - `state_root` is the market's Poseidon2 state-tree root, the value
//!    prover/statetree.c gives (old_root / new_root of a statement);
//!    `slots_digest` is a plain BLAKE2b over every slot, for tests.
//!  - `input::decode` parses a guest input (markets, optional slot
//!    snapshot, batches); bad input is an error value, never a panic.
//!  - No allocation beyond `alloc`, no floating point, no I/O, no unsafe.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod blake2b;
pub mod book;
pub mod guest;
pub mod input;
mod matching;
pub mod poseidon2;
mod poseidon2_constants;
pub mod slots;
pub mod statetree;
pub mod types;
pub mod witness;

use alloc::vec::Vec;

pub use book::{MarketParams, SnapshotError};
pub use types::{events_digest, ops_digest, Event, Op};

use blake2b::Blake2b;
use book::Market;

pub const SLOTS_PERSONAL: &[u8] = b"zkclob-slots-v1";

/// Why an engine could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineError {
    NoMarkets,
    BadParams(u32),
    DuplicateMarket(u32),
    Snapshot(u32, SnapshotError),
    SnapshotUnknownMarket(u32),
}

/// Several markets, each with its own book (struct zk_engine).
pub struct Engine {
    markets: Vec<Market>, // sorted by market id
}

impl Engine {
    /// zk_engine_create: same validation, every slot pristine.
    pub fn new(params: &[MarketParams]) -> Result<Engine, EngineError> {
        if params.is_empty() {
            return Err(EngineError::NoMarkets);
        }
        if let Some(p) = params.iter().find(|p| !p.is_valid()) {
            return Err(EngineError::BadParams(p.market));
        }
        let mut markets: Vec<Market> = params.iter().map(Market::new).collect();
        markets.sort_by_key(|m| m.p.market);
        for w in markets.windows(2) {
            if w[0].p.market == w[1].p.market {
                return Err(EngineError::DuplicateMarket(w[0].p.market));
            }
        }
        Ok(Engine { markets })
    }

    fn index_of(&self, market: u32) -> Option<usize> {
        self.markets
            .binary_search_by_key(&market, |m| m.p.market)
            .ok()
    }

    /// Overwrites slots from (market, kind, slot, canonical bytes) entries,
    /// then checks links and rebuilds the price index of every market.
    pub fn load_snapshot<'a, I>(&mut self, slots: I) -> Result<(), EngineError>
    where
        I: IntoIterator<Item = (u32, u8, u32, &'a [u8; 64])>,
    {
        for (market, kind, slot, bytes) in slots {
            let i = self
                .index_of(market)
                .ok_or(EngineError::SnapshotUnknownMarket(market))?;
            self.markets[i]
                .set_slot_bytes(kind, slot, bytes)
                .map_err(|e| EngineError::Snapshot(market, e))?;
        }
        for m in &mut self.markets {
            let id = m.p.market;
            m.rebuild_index()
                .map_err(|e| EngineError::Snapshot(id, e))?;
        }
        Ok(())
    }

    /// zk_engine_apply: appends the op's events (at least one).
    pub fn apply(&mut self, op: &Op, events: &mut Vec<Event>) {
        let i = self.index_of(op.market);
        matching::apply_op(i.map(|i| &mut self.markets[i]), op, events);
    }

    /// A market whose rules touched a slot outside its book (a link past
    /// the slot counts): its state is no longer the engine's. Loaded
    /// snapshots are link-checked, so this stays None unless the core is
    /// wrong; callers refuse their result when it is not.
    pub fn first_fault(&self) -> Option<(u32, book::Fault)> {
        self.markets
            .iter()
            .find_map(|m| m.first_fault().map(|f| (m.p.market, f)))
    }

    pub fn market_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.markets.iter().map(|m| m.p.market)
    }

    /// zk_engine_slot_count.
    pub fn slot_count(&self, market: u32, kind: u8) -> u32 {
        self.index_of(market)
            .map_or(0, |i| self.markets[i].slot_count(kind))
    }

    /// zk_engine_slot_get's bytes.
    pub fn slot_bytes(&self, market: u32, kind: u8, slot: u32) -> Option<[u8; 64]> {
        self.index_of(market)
            .and_then(|i| self.markets[i].slot_bytes(kind, slot))
    }

    /// Slots that differ from their pristine value: what a snapshot of this
    /// state has to carry (market, kind, slot, bytes), in canonical order.
    pub fn non_pristine_slots(&self) -> Vec<(u32, u8, u32, [u8; 64])> {
        let mut out = Vec::new();
        for m in &self.markets {
            for kind in book::KIND_HEADER..=book::KIND_BUCKET {
                for s in 0..m.slot_count(kind) {
                    if !m.slot_is_pristine(kind, s) {
                        out.push((m.p.market, kind, s, m.slot_bytes(kind, s).unwrap()));
                    }
                }
            }
        }
        out
    }

    /// The market's Poseidon2 state-tree root (prover/statetree.c, arity
    /// 2 or 4), 32 bytes as a statement carries it; None for an unknown
    /// market or a bad arity.
    pub fn state_root(&self, market: u32, arity: u32) -> Option<[u8; 32]> {
        let m = &self.markets[self.index_of(market)?];
        statetree::root_gl(m, arity).map(|d| statetree::root_bytes(&d))
    }

    /// BLAKE2b-256 ("zkclob-slots-v1") over, per market in id order, the
    /// market id (u32 big-endian) then every slot's 64 canonical bytes,
    /// kinds header, order, level, bucket, slots in index order. Cost is
    /// linear in capacity; the state tree replaces it (docs/zkvm.md).
    pub fn slots_digest(&self) -> [u8; 32] {
        let mut st = Blake2b::new(32, SLOTS_PERSONAL);
        for m in &self.markets {
            st.update(&m.p.market.to_be_bytes());
            for kind in book::KIND_HEADER..=book::KIND_BUCKET {
                for s in 0..m.slot_count(kind) {
                    st.update(&m.slot_bytes(kind, s).unwrap());
                }
            }
        }
        st.finalize32()
    }
}

/// What one batch produces: its events and the statement's digests.
pub struct BatchResult {
    pub events: Vec<Event>,
    pub first_seq: u64,
    pub last_seq: u64,
    pub ops_digest: [u8; 32],
    pub events_digest: [u8; 32],
}

/// Applies one batch in order and computes both digests.
pub fn run_batch(engine: &mut Engine, ops: &[Op]) -> BatchResult {
    let mut events = Vec::with_capacity(ops.len() * 2);
    for op in ops {
        engine.apply(op, &mut events);
    }
    BatchResult {
        first_seq: ops.first().map_or(0, |o| o.seq),
        last_seq: ops.last().map_or(0, |o| o.seq),
        ops_digest: ops_digest(ops),
        events_digest: events_digest(&events),
        events,
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod witness_tests;
