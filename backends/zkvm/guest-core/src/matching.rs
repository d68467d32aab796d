// SPDX-License-Identifier: MIT
//! The matching rules of docs/engine.md, ported step for step from
//! engine/core.h so that every slot is written in the same order with the
//! same values: the events must be byte-identical and, for the state roots,
//! so must every slot. Where C relies on unsigned wrap-around (probe
//! distances) the port says so with wrapping_* calls.

use alloc::vec::Vec;

use crate::book::*;
use crate::types::*;

/// The order being entered: a NEW, or the re-entry of a replace.
struct Taker {
    id: u64,
    account: u64,
    stp_group: u32,
    side: u8,
    tif: u8,
    is_market: bool,
    price: i64,
    remaining: u64,
}

struct Out<'a> {
    op: &'a Op,
    ev: &'a mut Vec<Event>,
}

impl Out<'_> {
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        ev_type: u8,
        reason: u8,
        side: u8,
        order_id: u64,
        other_id: u64,
        price: i64,
        qty: u64,
        remaining: u64,
        other_remaining: u64,
    ) {
        self.ev.push(Event {
            seq: self.op.seq,
            market: self.op.market,
            ev_type,
            reason,
            side,
            order_id,
            other_id,
            price,
            qty,
            remaining,
            other_remaining,
        });
    }

    fn reject(&mut self, reason: u8) {
        let other = if self.op.op_type == OP_REPLACE {
            self.op.new_order_id
        } else {
            0
        };
        self.emit(EV_REJECTED, reason, 0, self.op.order_id, other, 0, 0, 0, 0);
    }
}

fn self_trade(t: &Taker, o: &OrderSlot) -> bool {
    if t.stp_group != 0 || o.stp_group != 0 {
        return t.stp_group == o.stp_group;
    }
    t.account == o.account
}

fn crosses(t: &Taker, maker_price: i64) -> bool {
    if t.is_market {
        return true;
    }
    if t.side == SIDE_BUY {
        maker_price <= t.price
    } else {
        maker_price >= t.price
    }
}

impl Market {
    fn best_of(&mut self, side: u8) -> &mut u32 {
        if side == SIDE_BUY {
            &mut self.hdr[0].best_bid
        } else {
            &mut self.hdr[0].best_ask
        }
    }

    fn hash_find(&self, id: u64) -> u32 {
        let mut b = self.bucket_home(id);
        loop {
            let bk = &self.buckets[b as usize];
            if bk.order == SLOT_NIL {
                return SLOT_NIL;
            }
            if bk.id == id {
                return b;
            }
            b = b.wrapping_add(1) & self.bucket_mask;
        }
    }

    fn hash_insert(&mut self, id: u64, order: u32) {
        let mut b = self.bucket_home(id);
        while self.buckets[b as usize].order != SLOT_NIL {
            b = b.wrapping_add(1) & self.bucket_mask;
        }
        self.buckets[b as usize] = BucketSlot { id, order };
    }

    /// Backward-shift deletion, as core.h hash_erase.
    fn hash_erase(&mut self, mut hole: u32) {
        let mask = self.bucket_mask;
        let mut j = hole;
        loop {
            j = j.wrapping_add(1) & mask;
            let bj = self.buckets[j as usize];
            if bj.order == SLOT_NIL {
                break;
            }
            let home = self.bucket_home(bj.id);
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.buckets[hole as usize] = bj;
                hole = j;
            }
        }
        self.buckets[hole as usize] = BucketSlot {
            id: 0,
            order: SLOT_NIL,
        };
    }

    fn level_lookup(&self, bi: u32, side: u8) -> u32 {
        match self.level_at.get(&bi) {
            Some(&l) if self.levels[l as usize].side == side => l,
            _ => SLOT_NIL,
        }
    }

    /// The new level's neighbours in a sparse book, where the price index
    /// holds only witnessed levels: the nearest witnessed same-side levels
    /// on each side of `bi`, accepted only if the book's own links say they
    /// are adjacent (the better one's `worse` is the worse one, or the best
    /// pointer is the worse one when there is no better, and the worse
    /// one's `better` is the better one). Levels of a side form one list in
    /// strictly ordered prices, so adjacency around `bi` proves no level of
    /// that side lies at `bi` — what the engine learns from its bitmaps.
    /// When the witness does not hold such a pair the batch is rejected.
    fn witnessed_neighbours(&self, bi: u32, side: u8) -> (u32, u32) {
        let same = |l: &u32| self.levels[*l as usize].side == side;
        let above = self
            .level_at
            .range(bi.saturating_add(1)..)
            .map(|(_, &l)| l)
            .find(same)
            .unwrap_or(SLOT_NIL);
        let below = self
            .level_at
            .range(..bi)
            .rev()
            .map(|(_, &l)| l)
            .find(same)
            .unwrap_or(SLOT_NIL);
        let (better, worse) = if side == SIDE_BUY {
            (above, below)
        } else {
            (below, above)
        };
        let best = if side == SIDE_BUY {
            self.hdr[0].best_bid
        } else {
            self.hdr[0].best_ask
        };
        let linked = if better != SLOT_NIL {
            self.levels[better as usize].worse == worse
        } else {
            best == worse
        };
        let back = worse == SLOT_NIL || self.levels[worse as usize].better == better;
        if !(linked && back) && self.fault.get().is_none() {
            self.fault.set(Some(Fault::LevelGapNotProven(bi)));
        }
        (better, worse)
    }

    fn level_free(&mut self, li: u32) {
        let l = self.levels[li as usize];
        if l.better != SLOT_NIL {
            self.levels[l.better as usize].worse = l.worse;
        }
        if l.worse != SLOT_NIL {
            self.levels[l.worse as usize].better = l.better;
        }
        self.levels[li as usize] = LevelSlot {
            head: SLOT_NIL,
            tail: SLOT_NIL,
            better: SLOT_NIL,
            worse: self.hdr[0].level_free,
            ..Default::default()
        };
        if l.better == SLOT_NIL {
            *self.best_of(l.side) = l.worse;
        }
        self.hdr[0].n_levels = self.hdr[0].n_levels.wrapping_sub(1);
        self.hdr[0].level_free = li;
        // A live level's price is on the band (checked when it was indexed
        // or created), so this names the entry that indexes it.
        if let Some(bi) = self.band_index(l.price) {
            self.level_at.remove(&bi);
        }
    }

    /// Takes a resting order out of the book (core.h order_remove).
    fn order_remove(&mut self, oi: u32, mut bucket: u32) {
        let o = self.orders[oi as usize];
        let li = o.level;
        if o.prev != SLOT_NIL {
            self.orders[o.prev as usize].next = o.next;
        }
        if o.next != SLOT_NIL {
            self.orders[o.next as usize].prev = o.prev;
        }
        let l = &mut self.levels[li as usize];
        l.total = l.total.wrapping_sub(o.remaining);
        if o.prev == SLOT_NIL {
            l.head = o.next;
        }
        if o.next == SLOT_NIL {
            l.tail = o.prev;
        }
        if l.head == SLOT_NIL {
            self.level_free(li);
        }
        if bucket == SLOT_NIL {
            bucket = self.hash_find(o.id);
        }
        self.hash_erase(bucket);
        self.orders[oi as usize] = OrderSlot {
            prev: SLOT_NIL,
            next: self.hdr[0].order_free,
            level: SLOT_NIL,
            ..Default::default()
        };
        self.hdr[0].order_free = oi;
        self.hdr[0].n_orders = self.hdr[0].n_orders.wrapping_sub(1);
    }

    /// The engine's neighbour search (core.h level_create): the nearest
    /// levels above and below `bi` of any side in the full price index,
    /// kept only if they are of `side`.
    fn indexed_neighbours(&self, bi: u32, side: u8) -> (u32, u32) {
        let above_l = if bi + 1 < self.band {
            self.level_at
                .range(bi + 1..)
                .next()
                .map_or(SLOT_NIL, |(_, &l)| l)
        } else {
            SLOT_NIL
        };
        let below_l = if bi > 0 {
            self.level_at
                .range(..bi)
                .next_back()
                .map_or(SLOT_NIL, |(_, &l)| l)
        } else {
            SLOT_NIL
        };
        // The opposite side lies entirely on the far side of `price`.
        let (mut better, mut worse) = if side == SIDE_BUY {
            (above_l, below_l)
        } else {
            (below_l, above_l)
        };
        if better != SLOT_NIL && self.levels[better as usize].side != side {
            better = SLOT_NIL;
        }
        if worse != SLOT_NIL && self.levels[worse as usize].side != side {
            worse = SLOT_NIL;
        }
        (better, worse)
    }

    /// A new level at band index bi; the book is not crossed at its price.
    fn level_create(&mut self, bi: u32, side: u8, price: i64) -> u32 {
        let li = self.hdr[0].level_free;
        let (better, worse) = if self.sparse {
            self.witnessed_neighbours(bi, side)
        } else {
            self.indexed_neighbours(bi, side)
        };
        self.hdr[0].level_free = self.levels[li as usize].worse;
        self.hdr[0].n_levels = self.hdr[0].n_levels.wrapping_add(1);
        if better == SLOT_NIL {
            *self.best_of(side) = li;
        }
        self.levels[li as usize] = LevelSlot {
            price,
            total: 0,
            head: SLOT_NIL,
            tail: SLOT_NIL,
            better,
            worse,
            side,
        };
        if better != SLOT_NIL {
            self.levels[better as usize].worse = li;
        }
        if worse != SLOT_NIL {
            self.levels[worse as usize].better = li;
        }
        self.level_at.insert(bi, li);
        li
    }

    /// Free slots were checked before the op was accepted.
    fn order_rest(&mut self, t: &Taker, bi: u32) {
        let oi = self.hdr[0].order_free;
        let mut li = self.level_lookup(bi, t.side);
        self.hdr[0].order_free = self.orders[oi as usize].next;
        self.hdr[0].n_orders = self.hdr[0].n_orders.wrapping_add(1);
        if li == SLOT_NIL {
            li = self.level_create(bi, t.side, t.price);
        }
        let tail = self.levels[li as usize].tail;
        self.orders[oi as usize] = OrderSlot {
            id: t.id,
            account: t.account,
            price: t.price,
            remaining: t.remaining,
            prev: tail,
            next: SLOT_NIL,
            level: li,
            stp_group: t.stp_group,
            side: t.side,
        };
        if tail != SLOT_NIL {
            self.orders[tail as usize].next = oi;
        }
        let l = &mut self.levels[li as usize];
        l.total = l.total.wrapping_add(t.remaining);
        if tail == SLOT_NIL {
            l.head = oi;
        }
        l.tail = oi;
        self.hash_insert(t.id, oi);
    }

    /// Would a FOK fill completely? Visits what matching would visit.
    fn fok_fillable(&self, t: &Taker) -> bool {
        let mut li = if t.side == SIDE_BUY {
            self.hdr[0].best_ask
        } else {
            self.hdr[0].best_bid
        };
        let mut need = t.remaining;
        let skip_self = self.p.stp == STP_CANCEL_OLDEST;
        while li != SLOT_NIL {
            let l = &self.levels[li as usize];
            if !crosses(t, l.price) {
                return false;
            }
            let mut oi = l.head;
            while oi != SLOT_NIL {
                let o = &self.orders[oi as usize];
                if self_trade(t, o) {
                    if !skip_self {
                        return false;
                    }
                } else if o.remaining >= need {
                    return true;
                } else {
                    need -= o.remaining;
                }
                oi = o.next;
            }
            li = l.worse;
        }
        false
    }

    /// Matches while the taker crosses; true when STP cancelled its rest.
    fn do_match(&mut self, out: &mut Out, t: &mut Taker) -> bool {
        let opp = if t.side == SIDE_BUY {
            SIDE_SELL
        } else {
            SIDE_BUY
        };
        // A sparse book stops at its first fault: the batch is rejected,
        // and a stand-in value must not keep the loop going.
        while t.remaining > 0 && self.fault.get().is_none() && self.first_fault().is_none() {
            let li = *self.best_of(opp);
            if li == SLOT_NIL {
                break;
            }
            let lp = self.levels[li as usize].price;
            if !crosses(t, lp) {
                break;
            }
            let oi = self.levels[li as usize].head;
            let o = self.orders[oi as usize];
            if self_trade(t, &o) {
                let mode = self.p.stp;
                if mode != STP_CANCEL_NEWEST {
                    out.emit(
                        EV_CANCELLED,
                        CXL_STP,
                        o.side,
                        o.id,
                        0,
                        o.price,
                        o.remaining,
                        0,
                        0,
                    );
                    self.order_remove(oi, SLOT_NIL);
                    if mode == STP_CANCEL_OLDEST {
                        continue;
                    }
                }
                out.emit(
                    EV_CANCELLED,
                    CXL_STP,
                    t.side,
                    t.id,
                    0,
                    t.price,
                    t.remaining,
                    0,
                    0,
                );
                t.remaining = 0;
                return true;
            }
            let fill = t.remaining.min(o.remaining);
            t.remaining -= fill;
            let maker_left = o.remaining - fill;
            self.orders[oi as usize].remaining = maker_left;
            let l = &mut self.levels[li as usize];
            l.total = l.total.wrapping_sub(fill);
            out.emit(
                EV_TRADE,
                0,
                t.side,
                t.id,
                o.id,
                o.price,
                fill,
                t.remaining,
                maker_left,
            );
            if maker_left == 0 {
                out.emit(EV_DONE, 0, o.side, o.id, 0, o.price, 0, 0, 0);
                self.order_remove(oi, SLOT_NIL);
            }
        }
        false
    }

    /// Market-parameter checks in their documented order; Ok(band index).
    fn check_price_qty(&self, price: i64, qty: u64, is_market: bool) -> Result<u32, u8> {
        let p = &self.p;
        let mut bi = 0u32;
        let mut in_band = false;
        if !is_market {
            if price >= p.min_price && price <= p.max_price {
                let d = (price as u64).wrapping_sub(p.min_price as u64);
                let q = d / p.tick as u64;
                if q * p.tick as u64 != d {
                    return Err(REJ_BAD_TICK);
                }
                bi = q as u32;
                in_band = true;
            } else if price % p.tick != 0 {
                return Err(REJ_BAD_TICK);
            }
        }
        if qty == 0 || qty % p.lot != 0 {
            return Err(REJ_BAD_LOT);
        }
        if !is_market && !in_band {
            return Err(REJ_PRICE_BAND);
        }
        if qty > p.max_qty {
            return Err(REJ_MAX_QTY);
        }
        Ok(bi)
    }

    fn would_cross(&self, t: &Taker) -> bool {
        let li = if t.side == SIDE_BUY {
            self.hdr[0].best_ask
        } else {
            self.hdr[0].best_bid
        };
        li != SLOT_NIL && crosses(t, self.levels[li as usize].price)
    }

    /// Can an order of `side` rest at bi? Decided before matching.
    fn slots_available(
        &self,
        bi: u32,
        side: u8,
        order_slot_reused: bool,
        level_slot_freed: bool,
    ) -> bool {
        if self.hdr[0].order_free == SLOT_NIL && !order_slot_reused {
            return false;
        }
        if self.hdr[0].level_free != SLOT_NIL || level_slot_freed {
            return true;
        }
        if self.level_lookup(bi, side) != SLOT_NIL {
            return true;
        }
        // A sparse index not holding bi proves nothing by itself.
        if self.sparse && !self.level_at.contains_key(&bi) {
            self.witnessed_neighbours(bi, side);
        }
        false
    }

    fn enter(&mut self, out: &mut Out, t: &mut Taker, bi: u32) {
        if t.tif == TIF_FOK && !self.fok_fillable(t) {
            out.emit(
                EV_CANCELLED,
                CXL_FOK_UNFILLED,
                t.side,
                t.id,
                0,
                t.price,
                t.remaining,
                0,
                0,
            );
            return;
        }
        if self.do_match(out, t) {
            return;
        }
        if t.remaining == 0 {
            out.emit(EV_DONE, 0, t.side, t.id, 0, t.price, 0, 0, 0);
            return;
        }
        if t.tif != TIF_GTC {
            out.emit(
                EV_CANCELLED,
                CXL_IOC_REMAINDER,
                t.side,
                t.id,
                0,
                t.price,
                t.remaining,
                0,
                0,
            );
            return;
        }
        self.order_rest(t, bi);
    }

    fn apply_new(&mut self, out: &mut Out) {
        let op = out.op;
        let mut t = Taker {
            id: op.order_id,
            account: op.account,
            stp_group: op.stp_group,
            side: op.side,
            tif: op.tif,
            is_market: op.ord_type == ORD_MARKET,
            price: op.price,
            remaining: op.qty,
        };
        let checked = self
            .check_price_qty(op.price, op.qty, t.is_market)
            .and_then(|bi| {
                if self.hash_find(op.order_id) != SLOT_NIL {
                    Err(REJ_DUPLICATE_ID)
                } else if op.flags & OP_F_POST_ONLY != 0 && self.would_cross(&t) {
                    Err(REJ_WOULD_CROSS)
                } else if !t.is_market
                    && t.tif == TIF_GTC
                    && !self.slots_available(bi, t.side, false, false)
                {
                    Err(REJ_BOOK_FULL)
                } else {
                    Ok(bi)
                }
            });
        match checked {
            Err(r) => out.reject(r),
            Ok(bi) => {
                out.emit(
                    EV_ACCEPTED,
                    0,
                    t.side,
                    t.id,
                    0,
                    t.price,
                    t.remaining,
                    t.remaining,
                    0,
                );
                self.enter(out, &mut t, bi);
            }
        }
    }

    fn apply_cancel(&mut self, out: &mut Out) {
        let op = out.op;
        let b = self.hash_find(op.order_id);
        if b == SLOT_NIL {
            out.reject(REJ_UNKNOWN_ORDER);
            return;
        }
        let oi = self.buckets[b as usize].order;
        let o = self.orders[oi as usize];
        if o.account != op.account {
            out.reject(REJ_OWNER_MISMATCH);
            return;
        }
        if op.qty == 0 {
            out.emit(
                EV_CANCELLED,
                CXL_USER,
                o.side,
                o.id,
                0,
                o.price,
                o.remaining,
                0,
                0,
            );
            self.order_remove(oi, b);
            return;
        }
        if op.qty % self.p.lot != 0 {
            out.reject(REJ_BAD_LOT);
            return;
        }
        if op.qty >= o.remaining {
            out.reject(REJ_BAD_REDUCE);
            return;
        }
        let cut = o.remaining - op.qty;
        self.orders[oi as usize].remaining = op.qty;
        let l = &mut self.levels[o.level as usize];
        l.total = l.total.wrapping_sub(cut);
        out.emit(
            EV_CANCELLED,
            CXL_REDUCE,
            o.side,
            o.id,
            0,
            o.price,
            cut,
            op.qty,
            0,
        );
    }

    fn apply_replace(&mut self, out: &mut Out) {
        let op = out.op;
        let b = self.hash_find(op.order_id);
        if b == SLOT_NIL {
            out.reject(REJ_UNKNOWN_ORDER);
            return;
        }
        let oi = self.buckets[b as usize].order;
        let o = self.orders[oi as usize];
        let mut r = if o.account != op.account {
            Err(REJ_OWNER_MISMATCH)
        } else {
            self.check_price_qty(op.price, op.qty, false)
        };
        if r.is_ok() && self.hash_find(op.new_order_id) != SLOT_NIL {
            r = Err(REJ_DUPLICATE_ID);
        }
        let keep = op.price == o.price && op.qty <= o.remaining;
        if let Ok(bi) = r {
            if !keep {
                let l = &self.levels[o.level as usize];
                let alone = l.head == oi && l.tail == oi;
                if !self.slots_available(bi, o.side, true, alone) {
                    r = Err(REJ_BOOK_FULL);
                }
            }
        }
        let bi = match r {
            Err(reason) => {
                out.reject(reason);
                return;
            }
            Ok(bi) => bi,
        };
        out.emit(
            EV_REPLACED,
            keep as u8,
            o.side,
            op.order_id,
            op.new_order_id,
            op.price,
            op.qty,
            0,
            0,
        );
        if keep {
            let cut = o.remaining - op.qty;
            self.hash_erase(b);
            self.hash_insert(op.new_order_id, oi);
            let os = &mut self.orders[oi as usize];
            os.id = op.new_order_id;
            os.remaining = op.qty;
            let l = &mut self.levels[o.level as usize];
            l.total = l.total.wrapping_sub(cut);
            return;
        }
        let mut t = Taker {
            id: op.new_order_id,
            account: o.account,
            stp_group: o.stp_group,
            side: o.side,
            tif: TIF_GTC,
            is_market: false,
            price: op.price,
            remaining: op.qty,
        };
        self.order_remove(oi, b);
        self.enter(out, &mut t, bi);
    }
}

/// Field checks that need no market (core.h check_shape).
fn check_shape(op: &Op) -> Result<(), u8> {
    if op.reserved != [0, 0, 0] {
        return Err(REJ_MALFORMED);
    }
    let bad = match op.op_type {
        OP_NEW => {
            (op.side != SIDE_BUY && op.side != SIDE_SELL)
                || (op.ord_type != ORD_LIMIT && op.ord_type != ORD_MARKET)
                || !(TIF_GTC..=TIF_FOK).contains(&op.tif)
                || op.flags & !OP_F_POST_ONLY != 0
                || op.new_order_id != 0
                || (op.ord_type == ORD_MARKET
                    && (op.price != 0 || op.tif == TIF_GTC || op.flags != 0))
                || (op.flags & OP_F_POST_ONLY != 0 && op.tif != TIF_GTC)
        }
        OP_CANCEL => {
            (op.side | op.ord_type | op.tif | op.flags) != 0
                || op.price != 0
                || op.new_order_id != 0
                || op.stp_group != 0
        }
        OP_REPLACE => (op.side | op.ord_type | op.tif | op.flags) != 0 || op.stp_group != 0,
        _ => true,
    };
    if bad {
        Err(REJ_MALFORMED)
    } else {
        Ok(())
    }
}

/// Applies one op to the market it names (None: no such market) and
/// appends its events: zk_engine_apply without the witness.
pub(crate) fn apply_op(market: Option<&mut Market>, op: &Op, events: &mut Vec<Event>) {
    let mut out = Out { op, ev: events };
    if let Err(r) = check_shape(op) {
        out.reject(r);
        return;
    }
    let m = match market {
        Some(m) => m,
        None => {
            out.reject(REJ_UNKNOWN_MARKET);
            return;
        }
    };
    match op.op_type {
        OP_NEW => m.apply_new(&mut out),
        OP_REPLACE => m.apply_replace(&mut out),
        _ => m.apply_cancel(&mut out),
    }
}
