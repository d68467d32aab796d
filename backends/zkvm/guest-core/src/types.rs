// SPDX-License-Identifier: MIT
//! The op and event records of include/zkclob/op.h and event.h, their
//! canonical 64-byte big-endian encodings (engine/batch.c zk_op_encode,
//! engine/digest.c zk_event_encode) and the two digests a statement binds.

use crate::blake2b::Blake2b;

pub const OP_NEW: u8 = 1;
pub const OP_CANCEL: u8 = 2;
pub const OP_REPLACE: u8 = 3;

pub const SIDE_BUY: u8 = 1;
pub const SIDE_SELL: u8 = 2;

pub const ORD_LIMIT: u8 = 1;
pub const ORD_MARKET: u8 = 2;

pub const TIF_GTC: u8 = 1;
pub const TIF_IOC: u8 = 2;
pub const TIF_FOK: u8 = 3;

pub const OP_F_POST_ONLY: u8 = 0x01;

pub const EV_ACCEPTED: u8 = 1;
pub const EV_REJECTED: u8 = 2;
pub const EV_TRADE: u8 = 3;
pub const EV_CANCELLED: u8 = 4;
pub const EV_REPLACED: u8 = 5;
pub const EV_DONE: u8 = 6;

pub const REJ_MALFORMED: u8 = 1;
pub const REJ_UNKNOWN_MARKET: u8 = 2;
pub const REJ_BAD_TICK: u8 = 3;
pub const REJ_BAD_LOT: u8 = 4;
pub const REJ_PRICE_BAND: u8 = 5;
pub const REJ_MAX_QTY: u8 = 6;
pub const REJ_UNKNOWN_ORDER: u8 = 7;
pub const REJ_DUPLICATE_ID: u8 = 8;
pub const REJ_OWNER_MISMATCH: u8 = 9;
pub const REJ_BOOK_FULL: u8 = 10;
pub const REJ_WOULD_CROSS: u8 = 11;
pub const REJ_BAD_REDUCE: u8 = 12;

pub const CXL_USER: u8 = 1;
pub const CXL_REDUCE: u8 = 2;
pub const CXL_STP: u8 = 3;
pub const CXL_IOC_REMAINDER: u8 = 4;
pub const CXL_FOK_UNFILLED: u8 = 5;

pub const OP_WIRE_SIZE: usize = 64;
pub const EVENT_WIRE_SIZE: usize = 64;

pub const OPS_PERSONAL: &[u8] = b"zkclob-ops-v1";
pub const EVENTS_PERSONAL: &[u8] = b"zkclob-events-v1";

/// struct zk_op.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Op {
    pub seq: u64,
    pub order_id: u64,
    pub new_order_id: u64,
    pub account: u64,
    pub price: i64,
    pub qty: u64,
    pub market: u32,
    pub stp_group: u32,
    pub op_type: u8,
    pub side: u8,
    pub ord_type: u8,
    pub tif: u8,
    pub flags: u8,
    pub reserved: [u8; 3],
}

/// struct zk_event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub seq: u64,
    pub market: u32,
    pub ev_type: u8,
    pub reason: u8,
    pub side: u8,
    pub order_id: u64,
    pub other_id: u64,
    pub price: i64,
    pub qty: u64,
    pub remaining: u64,
    pub other_remaining: u64,
}

pub(crate) fn be64(b: &[u8]) -> u64 {
    u64::from_be_bytes(b[..8].try_into().unwrap())
}

pub(crate) fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b[..4].try_into().unwrap())
}

impl Op {
    /// zk_op_encode: every byte of the record, the reserved ones included
    /// (the engine rejects an op whose reserved bytes are not zero, so they
    /// decide its events and the ops digest must cover them), exactly as
    /// the C encoder does.
    pub fn encode(&self) -> [u8; OP_WIRE_SIZE] {
        let mut o = [0u8; OP_WIRE_SIZE];
        o[0..8].copy_from_slice(&self.seq.to_be_bytes());
        o[8..16].copy_from_slice(&self.order_id.to_be_bytes());
        o[16..24].copy_from_slice(&self.new_order_id.to_be_bytes());
        o[24..32].copy_from_slice(&self.account.to_be_bytes());
        o[32..40].copy_from_slice(&self.price.to_be_bytes());
        o[40..48].copy_from_slice(&self.qty.to_be_bytes());
        o[48..52].copy_from_slice(&self.market.to_be_bytes());
        o[52..56].copy_from_slice(&self.stp_group.to_be_bytes());
        o[56] = self.op_type;
        o[57] = self.side;
        o[58] = self.ord_type;
        o[59] = self.tif;
        o[60] = self.flags;
        o[61..64].copy_from_slice(&self.reserved);
        o
    }

    /// Inverse of the encoding above.
    pub fn decode(b: &[u8; OP_WIRE_SIZE]) -> Op {
        Op {
            seq: be64(&b[0..]),
            order_id: be64(&b[8..]),
            new_order_id: be64(&b[16..]),
            account: be64(&b[24..]),
            price: be64(&b[32..]) as i64,
            qty: be64(&b[40..]),
            market: be32(&b[48..]),
            stp_group: be32(&b[52..]),
            op_type: b[56],
            side: b[57],
            ord_type: b[58],
            tif: b[59],
            flags: b[60],
            reserved: [b[61], b[62], b[63]],
        }
    }
}

impl Event {
    /// zk_event_encode (docs/engine.md section 1.3).
    pub fn encode(&self) -> [u8; EVENT_WIRE_SIZE] {
        let mut o = [0u8; EVENT_WIRE_SIZE];
        o[0..8].copy_from_slice(&self.seq.to_be_bytes());
        o[8..12].copy_from_slice(&self.market.to_be_bytes());
        o[12] = self.ev_type;
        o[13] = self.reason;
        o[14] = self.side;
        o[16..24].copy_from_slice(&self.order_id.to_be_bytes());
        o[24..32].copy_from_slice(&self.other_id.to_be_bytes());
        o[32..40].copy_from_slice(&self.price.to_be_bytes());
        o[40..48].copy_from_slice(&self.qty.to_be_bytes());
        o[48..56].copy_from_slice(&self.remaining.to_be_bytes());
        o[56..64].copy_from_slice(&self.other_remaining.to_be_bytes());
        o
    }
}

/// zk_ops_digest: BLAKE2b-256, personalisation "zkclob-ops-v1".
pub fn ops_digest(ops: &[Op]) -> [u8; 32] {
    let mut st = Blake2b::new(32, OPS_PERSONAL);
    for op in ops {
        st.update(&op.encode());
    }
    st.finalize32()
}

/// zk_events_digest_*: BLAKE2b-256, personalisation "zkclob-events-v1".
pub fn events_digest(events: &[Event]) -> [u8; 32] {
    let mut st = Blake2b::new(32, EVENTS_PERSONAL);
    for ev in events {
        st.update(&ev.encode());
    }
    st.finalize32()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_encoding_and_digest_known_answer() {
        // Same known answer as tests/engine/test_engine_digest.c
        // (digest computed there with CPython's hashlib).
        let ev = Event {
            seq: 0x0102030405060708,
            market: 0x0a0b0c0d,
            ev_type: EV_TRADE,
            reason: 0,
            side: 1,
            order_id: 42,
            other_id: 7,
            price: -5,
            qty: 100,
            remaining: 0x10,
            other_remaining: u64::MAX,
        };
        let enc = ev.encode();
        assert_eq!(
            &enc[0..16],
            &[1, 2, 3, 4, 5, 6, 7, 8, 0x0a, 0x0b, 0x0c, 0x0d, 3, 0, 1, 0]
        );
        assert_eq!(
            &enc[32..40],
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfb]
        );
        let d = events_digest(&[ev]);
        let want = "359fdb5b02d800d6e9dad5b46e3aa3462bedd9865498bb49f0d910fa0155885c";
        let mut got = alloc::string::String::new();
        for b in d {
            use core::fmt::Write;
            write!(got, "{:02x}", b).unwrap();
        }
        assert_eq!(got, want);
    }

    #[test]
    fn op_roundtrip_covers_reserved_bytes() {
        let op = Op {
            seq: 9,
            order_id: 1,
            new_order_id: 2,
            account: 3,
            price: -40,
            qty: 5,
            market: 6,
            stp_group: 7,
            op_type: OP_REPLACE,
            side: 0,
            ord_type: 0,
            tif: 0,
            flags: 0,
            reserved: [0, 0, 0],
        };
        assert_eq!(Op::decode(&op.encode()), op);
        let mut raw = op.encode();
        raw[62] = 1;
        let back = Op::decode(&raw);
        assert_eq!(back.reserved, [0, 1, 0]);
        assert_eq!(back.encode(), raw);
        assert_ne!(back.encode(), op.encode());
    }
}
