// SPDX-License-Identifier: MIT
//! The guest input: what a host writes into the zkVM's input stream (and
//! what tests/zkvm feeds the native runner). All integers big-endian:
//!
//! ```text
//! magic "ZKCLOBB1"
//! n_markets u32, then per market (56 bytes):
//!   market u32 | stp u32 | max_orders u32 | max_levels u32 |
//!   tick i64 | lot u64 | min_price i64 | max_price i64 | max_qty u64
//! n_slots u32, then per slot (76 bytes):
//!   market u32 | kind u8 | 0 0 0 | slot u32 | value[64]
//!   (value: the slot's canonical little-endian bytes, zk_engine_slot_get)
//! n_batches u32, then per batch:
//!   n_ops u32 | n_ops x 64-byte op (zk_op_encode layout; bytes 61..63 are
//!   the reserved field)
//! ```
//! Nothing may follow. Every count is checked against the bytes left
//! before anything is allocated, so a short or lying input is an error.

use alloc::vec::Vec;

use crate::book::MarketParams;
use crate::types::{be32, be64, Op, OP_WIRE_SIZE};

pub const MAGIC: &[u8; 8] = b"ZKCLOBB1";
pub const MARKET_REC: usize = 56;
pub const SLOT_REC: usize = 76;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputError {
    BadMagic,
    Truncated,
    TrailingBytes,
    SlotPadding,
}

pub struct SlotEntry {
    pub market: u32,
    pub kind: u8,
    pub slot: u32,
    pub value: [u8; 64],
}

pub struct Input {
    pub markets: Vec<MarketParams>,
    pub slots: Vec<SlotEntry>,
    pub batches: Vec<Vec<Op>>,
}

struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], InputError> {
        if self.b.len() < n {
            return Err(InputError::Truncated);
        }
        let (h, t) = self.b.split_at(n);
        self.b = t;
        Ok(h)
    }

    fn u32(&mut self) -> Result<u32, InputError> {
        Ok(be32(self.take(4)?))
    }

    /// A count of records of `size` bytes that must all still be there.
    fn count(&mut self, size: usize) -> Result<usize, InputError> {
        let n = self.u32()? as usize;
        if n.checked_mul(size).map_or(true, |need| need > self.b.len()) {
            return Err(InputError::Truncated);
        }
        Ok(n)
    }
}

/// One 56-byte market record (layout in the module comment).
pub fn decode_market(m: &[u8; MARKET_REC]) -> MarketParams {
    MarketParams {
        market: be32(&m[0..]),
        stp: be32(&m[4..]),
        max_orders: be32(&m[8..]),
        max_levels: be32(&m[12..]),
        tick: be64(&m[16..]) as i64,
        lot: be64(&m[24..]),
        min_price: be64(&m[32..]) as i64,
        max_price: be64(&m[40..]) as i64,
        max_qty: be64(&m[48..]),
    }
}

pub fn encode_market(p: &MarketParams) -> [u8; MARKET_REC] {
    let mut m = [0u8; MARKET_REC];
    m[0..4].copy_from_slice(&p.market.to_be_bytes());
    m[4..8].copy_from_slice(&p.stp.to_be_bytes());
    m[8..12].copy_from_slice(&p.max_orders.to_be_bytes());
    m[12..16].copy_from_slice(&p.max_levels.to_be_bytes());
    m[16..24].copy_from_slice(&p.tick.to_be_bytes());
    m[24..32].copy_from_slice(&p.lot.to_be_bytes());
    m[32..40].copy_from_slice(&p.min_price.to_be_bytes());
    m[40..48].copy_from_slice(&p.max_price.to_be_bytes());
    m[48..56].copy_from_slice(&p.max_qty.to_be_bytes());
    m
}

pub fn decode(bytes: &[u8]) -> Result<Input, InputError> {
    let mut r = Reader { b: bytes };
    if r.take(8)? != MAGIC {
        return Err(InputError::BadMagic);
    }
    let n = r.count(MARKET_REC)?;
    let mut markets = Vec::with_capacity(n);
    for _ in 0..n {
        markets.push(decode_market(r.take(MARKET_REC)?.try_into().unwrap()));
    }
    let n = r.count(SLOT_REC)?;
    let mut slots = Vec::with_capacity(n);
    for _ in 0..n {
        let s = r.take(SLOT_REC)?;
        if s[5..8] != [0, 0, 0] {
            return Err(InputError::SlotPadding);
        }
        slots.push(SlotEntry {
            market: be32(&s[0..]),
            kind: s[4],
            slot: be32(&s[8..]),
            value: s[12..76].try_into().unwrap(),
        });
    }
    let n = r.count(4)?;
    let mut batches = Vec::with_capacity(n);
    for _ in 0..n {
        let k = r.count(OP_WIRE_SIZE)?;
        let raw = r.take(k * OP_WIRE_SIZE)?;
        batches.push(
            raw.chunks_exact(OP_WIRE_SIZE)
                .map(|c| Op::decode(c.try_into().unwrap()))
                .collect(),
        );
    }
    if !r.b.is_empty() {
        return Err(InputError::TrailingBytes);
    }
    Ok(Input {
        markets,
        slots,
        batches,
    })
}

/// Inverse of `decode` (hosts and tests build inputs with it).
pub fn encode(inp: &Input) -> Vec<u8> {
    let mut o = Vec::new();
    o.extend_from_slice(MAGIC);
    o.extend_from_slice(&(inp.markets.len() as u32).to_be_bytes());
    for m in &inp.markets {
        o.extend_from_slice(&encode_market(m));
    }
    o.extend_from_slice(&(inp.slots.len() as u32).to_be_bytes());
    for s in &inp.slots {
        o.extend_from_slice(&s.market.to_be_bytes());
        o.extend_from_slice(&[s.kind, 0, 0, 0]);
        o.extend_from_slice(&s.slot.to_be_bytes());
        o.extend_from_slice(&s.value);
    }
    o.extend_from_slice(&(inp.batches.len() as u32).to_be_bytes());
    for b in &inp.batches {
        o.extend_from_slice(&(b.len() as u32).to_be_bytes());
        for op in b {
            let mut e = op.encode();
            e[61..64].copy_from_slice(&op.reserved);
            o.extend_from_slice(&e);
        }
    }
    o
}
