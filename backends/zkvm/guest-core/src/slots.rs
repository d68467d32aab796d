// SPDX-License-Identifier: MIT
//! One kind of slot of a market: either every slot (a dense vector, the
//! engine's own layout) or only the slots a batch's witness authenticated
//! (a sparse map). The matching rules index both alike; in the sparse form
//! an index the witness does not hold reads a fixed all-links-NIL value and
//! is remembered, so the caller rejects the batch instead of trusting a
//! value nobody proved. The stand-in value only has to keep the current op
//! finite (every loop of the rules stops on a NIL link) until it is
//! rejected; it never reaches a statement.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use core::ops::{Index, IndexMut};

enum Store<T> {
    Dense(Vec<T>),
    Sparse(BTreeMap<u32, T>),
}

pub struct Slots<T: Copy> {
    store: Store<T>,
    stand_in: T,
    scratch: T,
    first_miss: Cell<Option<u32>>,
    /// Every index read or written since `track`, when tracking (tests
    /// build witnesses from a dense book with it).
    touched: RefCell<Option<BTreeSet<u32>>>,
}

impl<T: Copy> Slots<T> {
    pub fn dense(v: Vec<T>, stand_in: T) -> Slots<T> {
        Slots {
            store: Store::Dense(v),
            stand_in,
            scratch: stand_in,
            first_miss: Cell::new(None),
            touched: RefCell::new(None),
        }
    }

    pub fn sparse(stand_in: T) -> Slots<T> {
        Slots {
            store: Store::Sparse(BTreeMap::new()),
            stand_in,
            scratch: stand_in,
            first_miss: Cell::new(None),
            touched: RefCell::new(None),
        }
    }

    /// Makes `slot` known (sparse form) or overwrites it (dense form).
    pub fn set(&mut self, slot: u32, v: T) {
        match &mut self.store {
            Store::Dense(d) => match d.get_mut(slot as usize) {
                Some(x) => *x = v,
                None => self.note_miss(slot as usize),
            },
            Store::Sparse(m) => {
                m.insert(slot, v);
            }
        }
    }

    pub fn get(&self, slot: u32) -> Option<&T> {
        match &self.store {
            Store::Dense(d) => d.get(slot as usize),
            Store::Sparse(m) => m.get(&slot),
        }
    }

    /// The known slots in index order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> + '_ {
        let (d, s) = match &self.store {
            Store::Dense(d) => (Some(d.iter().enumerate().map(|(i, v)| (i as u32, v))), None),
            Store::Sparse(m) => (None, Some(m.iter().map(|(&i, v)| (i, v)))),
        };
        d.into_iter().flatten().chain(s.into_iter().flatten())
    }

    /// Starts recording the indices the rules touch.
    pub fn track(&mut self) {
        *self.touched.get_mut() = Some(BTreeSet::new());
    }

    /// The indices touched since `track`, in order; tracking goes on.
    pub fn touched(&self) -> alloc::vec::Vec<u32> {
        self.touched
            .borrow()
            .as_ref()
            .map_or_else(Vec::new, |t| t.iter().copied().collect())
    }

    fn note(&self, i: usize) {
        if let Some(t) = self.touched.borrow_mut().as_mut() {
            t.insert(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }

    /// The first slot read or written that is not held, if any.
    pub fn first_miss(&self) -> Option<u32> {
        self.first_miss.get()
    }

    fn note_miss(&self, i: usize) {
        if self.first_miss.get().is_none() {
            self.first_miss
                .set(Some(u32::try_from(i).unwrap_or(u32::MAX)));
        }
    }
}

impl<T: Copy> Index<usize> for Slots<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        self.note(i);
        let hit = match &self.store {
            Store::Dense(d) => d.get(i),
            Store::Sparse(m) => u32::try_from(i).ok().and_then(|k| m.get(&k)),
        };
        match hit {
            Some(v) => v,
            None => {
                self.note_miss(i);
                &self.stand_in
            }
        }
    }
}

impl<T: Copy> IndexMut<usize> for Slots<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        self.note(i);
        let held = match &self.store {
            Store::Dense(d) => i < d.len(),
            Store::Sparse(m) => u32::try_from(i).is_ok_and(|k| m.contains_key(&k)),
        };
        if !held {
            self.note_miss(i);
            self.scratch = self.stand_in;
            return &mut self.scratch;
        }
        match &mut self.store {
            Store::Dense(d) => &mut d[i],
            Store::Sparse(m) => m.get_mut(&(i as u32)).unwrap(),
        }
    }
}
