// SPDX-License-Identifier: MIT
//! The proven slot state of one market (docs/engine.md section 2), laid out
//! field for field like the C structs in include/zkclob/engine.h, plus the
//! price index that only serves to find slots. Creation, parameter checks,
//! the canonical little-endian slot bytes (`union zk_slot_value`) and
//! loading a market from a slot snapshot live here; the rules are in
//! matching.rs.

use alloc::collections::BTreeMap;
use core::cell::Cell;

use crate::slots::Slots;

pub const SLOT_NIL: u32 = u32::MAX;
pub const MAX_BAND_TICKS: u64 = 1 << 24;
pub const MAX_SLOTS: u32 = 1 << 24;

pub const KIND_HEADER: u8 = 1;
pub const KIND_ORDER: u8 = 2;
pub const KIND_LEVEL: u8 = 3;
pub const KIND_BUCKET: u8 = 4;

pub const STP_CANCEL_NEWEST: u32 = 0;
pub const STP_CANCEL_OLDEST: u32 = 1;
pub const STP_CANCEL_BOTH: u32 = 2;

/// struct zk_market_params.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarketParams {
    pub market: u32,
    pub tick: i64,
    pub lot: u64,
    pub min_price: i64,
    pub max_price: i64,
    pub max_qty: u64,
    pub stp: u32,
    pub max_orders: u32,
    pub max_levels: u32,
}

impl MarketParams {
    /// engine.c params_valid.
    pub fn is_valid(&self) -> bool {
        let p = self;
        if p.tick <= 0
            || p.lot == 0
            || p.min_price > p.max_price
            || p.min_price % p.tick != 0
            || p.max_price % p.tick != 0
            || p.max_qty < p.lot
        {
            return false;
        }
        if p.stp > STP_CANCEL_BOTH {
            return false;
        }
        if p.max_orders == 0
            || p.max_orders > MAX_SLOTS
            || p.max_levels == 0
            || p.max_levels > MAX_SLOTS
        {
            return false;
        }
        if p.max_qty > u64::MAX / p.max_orders as u64 {
            return false;
        }
        let span = (p.max_price as u64).wrapping_sub(p.min_price as u64) / p.tick as u64;
        span < MAX_BAND_TICKS
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub best_bid: u32,
    pub best_ask: u32,
    pub order_free: u32,
    pub level_free: u32,
    pub n_orders: u32,
    pub n_levels: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrderSlot {
    pub id: u64,
    pub account: u64,
    pub price: i64,
    pub remaining: u64,
    pub prev: u32,
    pub next: u32,
    pub level: u32,
    pub stp_group: u32,
    pub side: u8,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LevelSlot {
    pub price: i64,
    pub total: u64,
    pub head: u32,
    pub tail: u32,
    pub better: u32,
    pub worse: u32,
    pub side: u8,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BucketSlot {
    pub id: u64,
    pub order: u32,
}

pub struct Market {
    pub p: MarketParams,
    /// One slot (index 0): a Slots so that a sparse book can lack it too.
    pub hdr: Slots<Header>,
    pub orders: Slots<OrderSlot>,
    pub levels: Slots<LevelSlot>,
    pub buckets: Slots<BucketSlot>,
    pub bucket_mask: u32,
    pub bucket_shift: u32,
    /// Ticks in [min_price, max_price].
    pub band: u32,
    /// Acceleration only, outside the proven state: band index -> level
    /// slot. An ordered map instead of the C engine's array + bitmap tree
    /// keeps guest memory proportional to live levels, not to the band.
    pub level_at: BTreeMap<u32, u32>,
    /// Only the slots a witness authenticated are held (Market::sparse);
    /// the price index then covers only those levels, so what it cannot
    /// see is proven from level links instead of assumed (matching.rs).
    pub sparse: bool,
    /// Why the batch must be rejected, set by a check that found the
    /// witness does not prove what the rules need (sparse book only).
    pub fault: Cell<Option<Fault>>,
}

/// Why a sparse book could not decide an op from what its witness holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A slot (kind, slot) was read or written that the witness lacks.
    SlotNotWitnessed(u8, u32),
    /// A new level's price (band index) has no witnessed, adjacent pair of
    /// same-side neighbours proving that no level exists there.
    LevelGapNotProven(u32),
}

/// Why a snapshot slot could not be loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    BadKind,
    SlotOutOfRange,
    NonZeroPadding,
    LinkOutOfRange,
    LevelPriceOutsideBand,
    TwoLevelsAtOnePrice,
}

const HEADER_PRISTINE: Header = Header {
    best_bid: SLOT_NIL,
    best_ask: SLOT_NIL,
    order_free: 0,
    level_free: 0,
    n_orders: 0,
    n_levels: 0,
};

/// What a sparse book reads for a slot its witness lacks: every link NIL,
/// so that no loop of the rules follows it anywhere.
const ORDER_STAND_IN: OrderSlot = OrderSlot {
    id: 0,
    account: 0,
    price: 0,
    remaining: 0,
    prev: SLOT_NIL,
    next: SLOT_NIL,
    level: SLOT_NIL,
    stp_group: 0,
    side: 0,
};
const LEVEL_STAND_IN: LevelSlot = LevelSlot {
    price: 0,
    total: 0,
    head: SLOT_NIL,
    tail: SLOT_NIL,
    better: SLOT_NIL,
    worse: SLOT_NIL,
    side: 0,
};
const BUCKET_STAND_IN: BucketSlot = BucketSlot {
    id: 0,
    order: SLOT_NIL,
};
const HEADER_STAND_IN: Header = Header {
    best_bid: SLOT_NIL,
    best_ask: SLOT_NIL,
    order_free: SLOT_NIL,
    level_free: SLOT_NIL,
    n_orders: 0,
    n_levels: 0,
};

fn pristine_order(i: u32, n: u32) -> OrderSlot {
    OrderSlot {
        prev: SLOT_NIL,
        next: if i + 1 < n { i + 1 } else { SLOT_NIL },
        level: SLOT_NIL,
        ..Default::default()
    }
}

fn pristine_level(i: u32, n: u32) -> LevelSlot {
    LevelSlot {
        head: SLOT_NIL,
        tail: SLOT_NIL,
        better: SLOT_NIL,
        worse: if i + 1 < n { i + 1 } else { SLOT_NIL },
        ..Default::default()
    }
}

fn put32(b: &mut [u8; 64], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn put64(b: &mut [u8; 64], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

fn get32(b: &[u8; 64], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn get64(b: &[u8; 64], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

fn zero_from(b: &[u8; 64], at: usize) -> bool {
    b[at..].iter().all(|&x| x == 0)
}

impl Market {
    /// engine.c market_init: every slot pristine, free lists 0 -> 1 -> ...
    pub fn new(p: &MarketParams) -> Market {
        let mut m = Market::sparse(p);
        m.sparse = false;
        m.hdr = Slots::dense(alloc::vec![HEADER_PRISTINE], HEADER_STAND_IN);
        m.orders = Slots::dense(
            (0..p.max_orders)
                .map(|i| pristine_order(i, p.max_orders))
                .collect(),
            ORDER_STAND_IN,
        );
        m.levels = Slots::dense(
            (0..p.max_levels)
                .map(|i| pristine_level(i, p.max_levels))
                .collect(),
            LEVEL_STAND_IN,
        );
        m.buckets = Slots::dense(
            alloc::vec![BUCKET_STAND_IN; (m.bucket_mask + 1) as usize],
            BUCKET_STAND_IN,
        );
        m
    }

    /// A market that holds no slot yet: slots are added with
    /// `set_slot_bytes` from a witness, and any other slot the rules touch
    /// is a fault.
    pub fn sparse(p: &MarketParams) -> Market {
        let mut n_buckets: u32 = 16;
        while (n_buckets as u64) < 2 * p.max_orders as u64 {
            n_buckets *= 2;
        }
        let band =
            ((p.max_price as u64).wrapping_sub(p.min_price as u64) / p.tick as u64) as u32 + 1;
        Market {
            p: *p,
            hdr: Slots::sparse(HEADER_STAND_IN),
            orders: Slots::sparse(ORDER_STAND_IN),
            levels: Slots::sparse(LEVEL_STAND_IN),
            buckets: Slots::sparse(BUCKET_STAND_IN),
            bucket_mask: n_buckets - 1,
            bucket_shift: 64 - n_buckets.trailing_zeros(),
            band,
            level_at: BTreeMap::new(),
            sparse: true,
            fault: Cell::new(None),
        }
    }

    /// The first reason this market's batch must be rejected, if any.
    pub fn first_fault(&self) -> Option<Fault> {
        if let Some(f) = self.fault.get() {
            return Some(f);
        }
        let miss = [
            (KIND_HEADER, self.hdr.first_miss()),
            (KIND_ORDER, self.orders.first_miss()),
            (KIND_LEVEL, self.levels.first_miss()),
            (KIND_BUCKET, self.buckets.first_miss()),
        ];
        miss.iter()
            .find_map(|&(k, s)| s.map(|s| Fault::SlotNotWitnessed(k, s)))
    }

    /// Band index of a price inside [min_price, max_price] on the tick
    /// grid; None otherwise.
    pub fn band_index(&self, price: i64) -> Option<u32> {
        if price < self.p.min_price || price > self.p.max_price {
            return None;
        }
        let d = (price as u64).wrapping_sub(self.p.min_price as u64);
        if d % self.p.tick as u64 != 0 {
            return None;
        }
        Some((d / self.p.tick as u64) as u32)
    }

    /// Home bucket: Fibonacci hashing, as zk__bucket_home.
    #[inline]
    pub fn bucket_home(&self, id: u64) -> u32 {
        (id.wrapping_mul(0x9E3779B97F4A7C15) >> self.bucket_shift) as u32
    }

    /// zk_engine_slot_count.
    pub fn slot_count(&self, kind: u8) -> u32 {
        match kind {
            KIND_HEADER => 1,
            KIND_ORDER => self.p.max_orders,
            KIND_LEVEL => self.p.max_levels,
            KIND_BUCKET => self.bucket_mask + 1,
            _ => 0,
        }
    }

    /// The bytes zk_engine_slot_get writes into `union zk_slot_value`
    /// (little-endian fields, zero past the struct).
    pub fn slot_bytes(&self, kind: u8, slot: u32) -> Option<[u8; 64]> {
        if slot >= self.slot_count(kind) {
            return None;
        }
        let mut b = [0u8; 64];
        let i = slot as usize;
        match kind {
            KIND_HEADER => {
                let h = &self.hdr[0];
                for (k, v) in [
                    h.best_bid,
                    h.best_ask,
                    h.order_free,
                    h.level_free,
                    h.n_orders,
                    h.n_levels,
                ]
                .into_iter()
                .enumerate()
                {
                    put32(&mut b, 4 * k, v);
                }
            }
            KIND_ORDER => {
                let o = &self.orders[i];
                put64(&mut b, 0, o.id);
                put64(&mut b, 8, o.account);
                put64(&mut b, 16, o.price as u64);
                put64(&mut b, 24, o.remaining);
                put32(&mut b, 32, o.prev);
                put32(&mut b, 36, o.next);
                put32(&mut b, 40, o.level);
                put32(&mut b, 44, o.stp_group);
                b[48] = o.side;
            }
            KIND_LEVEL => {
                let l = &self.levels[i];
                put64(&mut b, 0, l.price as u64);
                put64(&mut b, 8, l.total);
                put32(&mut b, 16, l.head);
                put32(&mut b, 20, l.tail);
                put32(&mut b, 24, l.better);
                put32(&mut b, 28, l.worse);
                b[32] = l.side;
            }
            _ => {
                let k = &self.buckets[i];
                put64(&mut b, 0, k.id);
                put32(&mut b, 8, k.order);
            }
        }
        Some(b)
    }

    /// Whether `slot` still holds the value Market::new gave it.
    pub fn slot_is_pristine(&self, kind: u8, slot: u32) -> bool {
        let i = slot as usize;
        match kind {
            KIND_HEADER => self.hdr[0] == HEADER_PRISTINE,
            KIND_ORDER => self.orders[i] == pristine_order(slot, self.p.max_orders),
            KIND_LEVEL => self.levels[i] == pristine_level(slot, self.p.max_levels),
            _ => {
                self.buckets[i]
                    == BucketSlot {
                        id: 0,
                        order: SLOT_NIL,
                    }
            }
        }
    }

    /// Overwrites one slot from its canonical bytes. Padding must be zero
    /// (otherwise the bytes are not a value the engine can hold).
    pub fn set_slot_bytes(
        &mut self,
        kind: u8,
        slot: u32,
        b: &[u8; 64],
    ) -> Result<(), SnapshotError> {
        if !(KIND_HEADER..=KIND_BUCKET).contains(&kind) {
            return Err(SnapshotError::BadKind);
        }
        if slot >= self.slot_count(kind) {
            return Err(SnapshotError::SlotOutOfRange);
        }
        match kind {
            KIND_HEADER => {
                if !zero_from(b, 24) {
                    return Err(SnapshotError::NonZeroPadding);
                }
                self.hdr.set(
                    0,
                    Header {
                        best_bid: get32(b, 0),
                        best_ask: get32(b, 4),
                        order_free: get32(b, 8),
                        level_free: get32(b, 12),
                        n_orders: get32(b, 16),
                        n_levels: get32(b, 20),
                    },
                );
            }
            KIND_ORDER => {
                if !zero_from(b, 49) {
                    return Err(SnapshotError::NonZeroPadding);
                }
                self.orders.set(
                    slot,
                    OrderSlot {
                        id: get64(b, 0),
                        account: get64(b, 8),
                        price: get64(b, 16) as i64,
                        remaining: get64(b, 24),
                        prev: get32(b, 32),
                        next: get32(b, 36),
                        level: get32(b, 40),
                        stp_group: get32(b, 44),
                        side: b[48],
                    },
                );
            }
            KIND_LEVEL => {
                if !zero_from(b, 33) {
                    return Err(SnapshotError::NonZeroPadding);
                }
                self.levels.set(
                    slot,
                    LevelSlot {
                        price: get64(b, 0) as i64,
                        total: get64(b, 8),
                        head: get32(b, 16),
                        tail: get32(b, 20),
                        better: get32(b, 24),
                        worse: get32(b, 28),
                        side: b[32],
                    },
                );
            }
            _ => {
                if !zero_from(b, 12) {
                    return Err(SnapshotError::NonZeroPadding);
                }
                self.buckets.set(
                    slot,
                    BucketSlot {
                        id: get64(b, 0),
                        order: get32(b, 8),
                    },
                );
            }
        }
        Ok(())
    }

    /// After a snapshot load: checks every link names an existing slot (so
    /// matching cannot index out of bounds) and rebuilds the price index
    /// from the live levels the market holds (all of them, or in a sparse
    /// book the witnessed ones). Whether the book is the one committed by
    /// old_root is for the state tree to decide, not for this check.
    pub fn rebuild_index(&mut self) -> Result<(), SnapshotError> {
        let no = self.p.max_orders;
        let nl = self.p.max_levels;
        let ok = |v: u32, n: u32| v == SLOT_NIL || v < n;
        if let Some(h) = self.hdr.get(0) {
            if !ok(h.best_bid, nl)
                || !ok(h.best_ask, nl)
                || !ok(h.order_free, no)
                || !ok(h.level_free, nl)
            {
                return Err(SnapshotError::LinkOutOfRange);
            }
        }
        for (_, o) in self.orders.iter() {
            if !ok(o.prev, no) || !ok(o.next, no) || !ok(o.level, nl) {
                return Err(SnapshotError::LinkOutOfRange);
            }
            if o.remaining != 0 && o.level == SLOT_NIL {
                return Err(SnapshotError::LinkOutOfRange);
            }
        }
        for (_, b) in self.buckets.iter() {
            if !ok(b.order, no) {
                return Err(SnapshotError::LinkOutOfRange);
            }
        }
        let mut index = BTreeMap::new();
        for (li, l) in self.levels.iter() {
            if !ok(l.head, no) || !ok(l.tail, no) || !ok(l.better, nl) || !ok(l.worse, nl) {
                return Err(SnapshotError::LinkOutOfRange);
            }
            if l.total == 0 {
                continue;
            }
            if l.head == SLOT_NIL || l.tail == SLOT_NIL {
                return Err(SnapshotError::LinkOutOfRange);
            }
            let bi = self
                .band_index(l.price)
                .ok_or(SnapshotError::LevelPriceOutsideBand)?;
            if index.insert(bi, li).is_some() {
                return Err(SnapshotError::TwoLevelsAtOnePrice);
            }
        }
        self.level_at = index;
        Ok(())
    }
}
