//! Channels as chan.go implements them: a ring buffer with sendx/recvx, FIFO queues of parked senders
//! and receivers, direct handoff to a parked receiver, and close waking everyone.
//!
//! The functions here change only the channel and report which goroutines to wake with what; the
//! scheduler does the waking, so the rules of chan.go read in one place.

use std::collections::VecDeque;

use super::g::GoId;
use super::ir::Value;

/// A goroutine parked on a channel (Go's sudog).
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    pub g: GoId,
    /// For a sender: the value it is sending.
    pub val: Value,
    /// For a goroutine parked in a select: which of its cases this is.
    pub case: Option<u32>,
}

/// `hchan`. Its fields are private because chan.go's invariants tie them together (see
/// [`Channel::check`]); the queues change only through the operations below.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    /// The ring buffer (len == cap).
    buf: Vec<Value>,
    sendx: usize,
    recvx: usize,
    /// Values in the buffer (`qcount`).
    count: usize,
    sendq: VecDeque<Waiter>,
    recvq: VecDeque<Waiter>,
    closed: bool,
    /// The element type's zero value, what a receive on a closed, drained channel yields.
    zero: Value,
    /// Which goroutine made it, for the views.
    made_by: GoId,
}

/// A goroutine to make runnable, and what it finds when it runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Wake {
    /// A parked receiver got a value (ok = true) or the channel's close (ok = false).
    Receiver {
        g: GoId,
        case: Option<u32>,
        val: Value,
        ok: bool,
    },
    /// A parked sender's value was taken.
    Sender { g: GoId, case: Option<u32> },
    /// A parked sender must panic: the channel was closed under it.
    SenderPanics { g: GoId },
}

/// Closing a closed channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlreadyClosed;

impl Wake {
    /// The goroutine to wake and what its parked operation returns when it runs.
    pub fn into_resume(self) -> (GoId, super::g::Resume) {
        use super::g::Resume;
        match self {
            Wake::Receiver {
                g,
                case: None,
                val,
                ok,
            } => (g, Resume::Received(val, ok)),
            Wake::Receiver {
                g,
                case: Some(i),
                val,
                ok,
            } => (g, Resume::Selected(i, val, ok)),
            Wake::Sender { g, case: None } => (g, Resume::Done),
            Wake::Sender { g, case: Some(i) } => (g, Resume::Selected(i, Value::Nil, true)),
            Wake::SenderPanics { g } => (g, Resume::SendOnClosed),
        }
    }
}

/// What a send did.
#[derive(Clone, Debug, PartialEq)]
pub enum SendResult {
    /// Handed straight to a parked receiver (bypassing the buffer).
    Handoff(Wake),
    /// Stored in the buffer.
    Buffered,
    /// Nothing can take it now: the sender must park on sendq.
    MustPark,
    /// "send on closed channel".
    Closed,
}

/// What a receive did.
#[derive(Clone, Debug, PartialEq)]
pub enum RecvResult {
    /// Got a value; `woke` is the parked sender whose value filled the freed slot or was taken.
    Got {
        val: Value,
        ok: bool,
        woke: Option<Wake>,
    },
    MustPark,
}

impl Channel {
    pub fn new(cap: usize, zero: Value, made_by: GoId) -> Self {
        Channel {
            buf: vec![Value::Nil; cap],
            sendx: 0,
            recvx: 0,
            count: 0,
            sendq: VecDeque::new(),
            recvq: VecDeque::new(),
            closed: false,
            zero,
            made_by,
        }
    }

    /// `dataqsiz`: the buffer's size.
    pub fn cap(&self) -> usize {
        self.buf.len()
    }

    /// `qcount`: values in the buffer.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The next slot a send fills.
    pub fn sendx(&self) -> usize {
        self.sendx
    }

    /// The next slot a receive empties.
    pub fn recvx(&self) -> usize {
        self.recvx
    }

    /// The ring buffer's slots (only `count` of them, from `recvx`, hold values).
    pub fn slots(&self) -> &[Value] {
        &self.buf
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Parked senders, first to be served first.
    pub fn sendq(&self) -> &VecDeque<Waiter> {
        &self.sendq
    }

    /// Parked receivers, first to be served first.
    pub fn recvq(&self) -> &VecDeque<Waiter> {
        &self.recvq
    }

    /// Which goroutine made the channel.
    pub fn made_by(&self) -> GoId {
        self.made_by
    }

    /// A sender parks (`c.sendq.enqueue` in chansend): only when its value could not be taken.
    pub fn enqueue_sender(&mut self, w: Waiter) {
        self.sendq.push_back(w);
        debug_assert_eq!(self.check(), Ok(()));
    }

    /// A receiver parks (`c.recvq.enqueue` in chanrecv): only when there was nothing to take.
    pub fn enqueue_receiver(&mut self, w: Waiter) {
        self.recvq.push_back(w);
        debug_assert_eq!(self.check(), Ok(()));
    }

    /// Tries a send without blocking (chansend with block = true up to the park).
    pub fn send(&mut self, val: Value) -> SendResult {
        if self.closed {
            return SendResult::Closed;
        }
        if let Some(r) = self.recvq.pop_front() {
            return SendResult::Handoff(Wake::Receiver {
                g: r.g,
                case: r.case,
                val,
                ok: true,
            });
        }
        if self.count < self.cap() {
            self.buf[self.sendx] = val;
            self.sendx = (self.sendx + 1) % self.cap();
            self.count += 1;
            return SendResult::Buffered;
        }
        SendResult::MustPark
    }

    /// Tries a receive without blocking.
    pub fn recv(&mut self) -> RecvResult {
        if self.count > 0 {
            let val = std::mem::take(&mut self.buf[self.recvx]);
            self.recvx = (self.recvx + 1) % self.cap();
            self.count -= 1;
            // A parked sender's value moves into the slot just freed: the buffer stays FIFO.
            let woke = self.sendq.pop_front().map(|s| {
                self.buf[self.sendx] = s.val;
                self.sendx = (self.sendx + 1) % self.cap();
                self.count += 1;
                Wake::Sender {
                    g: s.g,
                    case: s.case,
                }
            });
            return RecvResult::Got {
                val,
                ok: true,
                woke,
            };
        }
        if let Some(s) = self.sendq.pop_front() {
            // Unbuffered (or empty buffer with a parked sender, which only an unbuffered channel has).
            return RecvResult::Got {
                val: s.val,
                ok: true,
                woke: Some(Wake::Sender {
                    g: s.g,
                    case: s.case,
                }),
            };
        }
        if self.closed {
            return RecvResult::Got {
                val: self.zero.clone(),
                ok: false,
                woke: None,
            };
        }
        RecvResult::MustPark
    }

    /// Whether a send or receive could proceed now (for select's poll).
    pub fn can_send(&self) -> bool {
        self.closed || !self.recvq.is_empty() || self.count < self.cap()
    }

    pub fn can_recv(&self) -> bool {
        self.count > 0 || !self.sendq.is_empty() || self.closed
    }

    /// Closes the channel: every parked receiver gets the zero value, every parked sender panics.
    /// Fails if it was already closed ("close of closed channel").
    pub fn close(&mut self) -> Result<Vec<Wake>, AlreadyClosed> {
        if self.closed {
            return Err(AlreadyClosed);
        }
        self.closed = true;
        let mut woken = Vec::new();
        for r in self.recvq.drain(..) {
            woken.push(Wake::Receiver {
                g: r.g,
                case: r.case,
                val: self.zero.clone(),
                ok: false,
            });
        }
        for s in self.sendq.drain(..) {
            woken.push(Wake::SenderPanics { g: s.g });
        }
        Ok(woken)
    }

    /// Removes every waiter of goroutine `g` (a select that completed elsewhere).
    pub fn forget(&mut self, g: GoId) {
        self.sendq.retain(|w| w.g != g);
        self.recvq.retain(|w| w.g != g);
    }

    /// chan.go's invariants, stated in the comment that opens runtime/chan.go (Go 1.27, lines
    /// 9-18): "At least one of c.sendq and c.recvq is empty, except for the case of an unbuffered
    /// channel with a single goroutine blocked on it for both sending and receiving using a select
    /// statement"; "For buffered channels, also: c.qcount > 0 implies that c.recvq is empty.
    /// c.qcount < c.dataqsiz implies that c.sendq is empty." Besides: the ring indexes and count stay
    /// inside the buffer, and a closed channel has no one parked (`closechan` releases them all).
    pub fn check(&self) -> Result<(), String> {
        let cap = self.cap();
        if self.count > cap || (cap > 0 && (self.sendx >= cap || self.recvx >= cap)) {
            return Err(format!(
                "count {} sendx {} recvx {} outside a buffer of {cap}",
                self.count, self.sendx, self.recvx
            ));
        }
        if cap > 0 && (self.recvx + self.count) % cap != self.sendx {
            return Err(format!(
                "recvx {} + count {} does not reach sendx {} (cap {cap})",
                self.recvx, self.count, self.sendx
            ));
        }
        if !self.sendq.is_empty() && !self.recvq.is_empty() {
            let g = self.sendq[0].g;
            let one_select = cap == 0
                && self
                    .sendq
                    .iter()
                    .chain(&self.recvq)
                    .all(|w| w.g == g && w.case.is_some());
            if !one_select {
                return Err("both sendq and recvq hold goroutines".into());
            }
        }
        if cap > 0 && self.count > 0 && !self.recvq.is_empty() {
            return Err(format!("{} values buffered but receivers wait", self.count));
        }
        if cap > 0 && self.count < cap && !self.sendq.is_empty() {
            return Err(format!(
                "buffer {}/{cap} not full but senders wait",
                self.count
            ));
        }
        if self.closed && !(self.sendq.is_empty() && self.recvq.is_empty()) {
            return Err("closed, yet goroutines are parked on it".into());
        }
        Ok(())
    }

    /// The buffered values in receive order.
    pub fn buffered(&self) -> Vec<&Value> {
        (0..self.count)
            .map(|i| &self.buf[(self.recvx + i) % self.cap().max(1)])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(i: i64) -> Value {
        Value::Int(i)
    }

    #[test]
    fn a_send_to_a_parked_receiver_bypasses_the_buffer() {
        let mut c = Channel::new(2, v(0), 1);
        c.enqueue_receiver(Waiter {
            g: 7,
            val: Value::Nil,
            case: None,
        });
        assert_eq!(
            c.send(v(5)),
            SendResult::Handoff(Wake::Receiver {
                g: 7,
                case: None,
                val: v(5),
                ok: true
            })
        );
        assert_eq!(c.count(), 0);
    }

    #[test]
    fn receiving_from_a_full_buffer_pulls_the_first_parked_sender_into_the_tail() {
        let mut c = Channel::new(2, v(0), 1);
        assert_eq!(c.send(v(1)), SendResult::Buffered);
        assert_eq!(c.send(v(2)), SendResult::Buffered);
        assert_eq!(c.send(v(3)), SendResult::MustPark);
        c.enqueue_sender(Waiter {
            g: 9,
            val: v(3),
            case: None,
        });
        match c.recv() {
            RecvResult::Got { val, ok, woke } => {
                assert_eq!((val, ok), (v(1), true));
                assert_eq!(woke, Some(Wake::Sender { g: 9, case: None }));
            }
            other => panic!("{other:?}"),
        }
        let order: Vec<Value> = c.buffered().into_iter().cloned().collect();
        assert_eq!(order, vec![v(2), v(3)]);
        assert_eq!((c.sendx, c.recvx), (1, 1));
    }

    #[test]
    fn a_closed_channel_drains_then_yields_zero_and_not_ok() {
        let mut c = Channel::new(1, v(0), 1);
        c.send(v(4));
        assert_eq!(c.close(), Ok(vec![]));
        assert!(matches!(
            c.recv(),
            RecvResult::Got {
                val: Value::Int(4),
                ok: true,
                ..
            }
        ));
        assert!(matches!(
            c.recv(),
            RecvResult::Got {
                val: Value::Int(0),
                ok: false,
                ..
            }
        ));
        assert_eq!(c.send(v(1)), SendResult::Closed);
        assert_eq!(c.close(), Err(AlreadyClosed));
    }

    #[test]
    fn close_wakes_every_receiver_and_every_sender() {
        let mut c = Channel::new(0, Value::str(""), 1);
        for g in [2, 3] {
            c.enqueue_receiver(Waiter {
                g,
                val: Value::Nil,
                case: None,
            });
        }
        let woken = c.close().unwrap();
        assert_eq!(woken.len(), 2);
        assert!(matches!(
            woken[1],
            Wake::Receiver {
                g: 3,
                ok: false,
                ..
            }
        ));
        assert!(c.recvq().is_empty());
        let mut d = Channel::new(0, Value::str(""), 1);
        d.enqueue_sender(Waiter {
            g: 4,
            val: v(1),
            case: None,
        });
        assert_eq!(d.close(), Ok(vec![Wake::SenderPanics { g: 4 }]));
        assert!(d.sendq().is_empty());
    }

    fn waiter(g: GoId, case: Option<u32>) -> Waiter {
        Waiter {
            g,
            val: Value::Nil,
            case,
        }
    }

    /// The checker catches each broken invariant (so that it passing in the runs means something).
    #[test]
    fn check_rejects_each_state_chan_go_rules_out() {
        let mut c = Channel::new(0, v(0), 1);
        c.recvq.push_back(waiter(2, None));
        c.sendq.push_back(waiter(3, None));
        assert!(c.check().is_err(), "two goroutines on both queues");

        // One goroutine's select on both directions of an unbuffered channel is Go's exception.
        let mut c = Channel::new(0, v(0), 1);
        c.enqueue_sender(waiter(2, Some(0)));
        c.enqueue_receiver(waiter(2, Some(1)));
        assert_eq!(c.check(), Ok(()));

        let mut c = Channel::new(2, v(0), 1);
        c.send(v(1));
        c.recvq.push_back(waiter(2, None));
        assert!(
            c.check().is_err(),
            "a receiver waits beside a buffered value"
        );

        let mut c = Channel::new(2, v(0), 1);
        c.send(v(1));
        c.sendq.push_back(waiter(2, None));
        assert!(c.check().is_err(), "a sender waits beside a free slot");

        let mut c = Channel::new(2, v(0), 1);
        c.send(v(1));
        c.sendx = 0;
        assert!(
            c.check().is_err(),
            "the ring indexes disagree with the count"
        );

        let mut c = Channel::new(0, v(0), 1);
        c.enqueue_receiver(waiter(2, None));
        c.closed = true;
        assert!(c.check().is_err(), "closed with a parked receiver");
    }
}
