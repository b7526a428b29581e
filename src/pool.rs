//! The worker pool: bounded parallel work over a slice, results in item
//! order. Compile and render use it one thread per core (CPU-bound work);
//! fetch and apply with a bound of their own (one SSH session per slot,
//! `--parallel`).

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// [`run_parallel`] with one thread per core, for CPU-bound work.
pub fn run_on_cores<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    run_parallel(items, cores, work)
}

/// Runs `work` on every item with at most `parallel` at a time; results in
/// item order. Each item runs on its own thread slot, so one slow device
/// never holds up the others beyond the bound.
///
/// A panic in one item is a bug, never a result: the other items still
/// run to their end (a half-done rollout must finish, each device in a
/// known state), then the first panic goes on in the caller with its own
/// message, instead of a generic "a scoped thread panicked".
pub fn run_parallel<T: Sync, R: Send>(
    items: &[T],
    parallel: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let panicked: Mutex<Option<Box<dyn std::any::Any + Send>>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..parallel.clamp(1, items.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(i) else { break };
                // The closure only borrows shared state the panic cannot
                // leave half-written: the slot stays None.
                match catch_unwind(AssertUnwindSafe(|| work(item))) {
                    Ok(result) => {
                        if let Ok(mut slots) = results.lock() {
                            slots[i] = Some(result);
                        }
                    }
                    Err(payload) => {
                        if let Ok(mut first) = panicked.lock() {
                            first.get_or_insert(payload);
                        }
                    }
                }
            });
        }
    });
    if let Some(payload) = panicked.into_inner().unwrap_or_else(|e| e.into_inner()) {
        resume_unwind(payload);
    }
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// Runs `beside` on a thread of its own while `here` runs on this one,
/// for two pieces of work that read the same data; both results. A panic
/// in either goes on in the caller.
pub fn side_by_side<A: Send, B>(
    beside: impl FnOnce() -> A + Send,
    here: impl FnOnce() -> B,
) -> (A, B) {
    std::thread::scope(|scope| {
        let beside = scope.spawn(beside);
        let here = here();
        let beside = beside.join().unwrap_or_else(|panic| resume_unwind(panic));
        (beside, here)
    })
}

/// Runs `work` on this thread while `tick` runs on a thread of its own
/// every `every` (not before the first `every` has passed), until `work`
/// is done; `work`'s result. The ticker waits on a condition variable,
/// not in a sleep: it stops the moment `work` returns (or panics), so
/// the caller never waits out the rest of a tick. (Sleeping 200 ms
/// between keepalives used to keep `apply` running up to 0.4 s after its
/// last switch, two such tickers one inside the other.)
pub fn with_ticker<R>(
    every: Duration,
    mut tick: impl FnMut() + Send,
    work: impl FnOnce() -> R,
) -> R {
    let done = Mutex::new(false);
    let woken = Condvar::new();
    /// Tells the ticker to stop when dropped: after `work`, or while a
    /// panic of `work` unwinds (the scope would wait for it forever).
    struct Stop<'a>(&'a Mutex<bool>, &'a Condvar);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            *self.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
            self.1.notify_all();
        }
    }
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut stopped = done.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                let deadline = Instant::now() + every;
                while !*stopped {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break;
                    }
                    stopped = woken
                        .wait_timeout(stopped, left)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                if *stopped {
                    return;
                }
                drop(stopped);
                tick();
                stopped = done.lock().unwrap_or_else(|e| e.into_inner());
            }
        });
        let _stop = Stop(&done, &woken);
        work()
    })
}

/// `work` on every item at the same time, one thread each, taking the
/// items by value (the members of one vPC pair: two at most); results in
/// item order.
pub fn each_at_once<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let work = &work;
    std::thread::scope(|scope| {
        let running: Vec<_> = items
            .into_iter()
            .map(|item| scope.spawn(move || work(item)))
            .collect();
        running
            .into_iter()
            .map(|thread| thread.join().unwrap_or_else(|panic| resume_unwind(panic)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_gives_both_results_and_passes_a_panic_on() {
        let data = [1, 2, 3];
        let (sum, len) = side_by_side(|| data.iter().sum::<i32>(), || data.len());
        assert_eq!((sum, len), (6, 3));
        let outcome = catch_unwind(|| side_by_side(|| panic!("beside broke"), || 1));
        let payload = outcome.expect_err("the panic must reach the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"beside broke"));
        assert_eq!(
            each_at_once(vec![String::from("a"), String::from("b")], |s| s + "!"),
            ["a!", "b!"]
        );
    }

    #[test]
    fn a_ticker_ticks_while_the_work_runs_and_stops_with_it_at_once() {
        let ticks = AtomicUsize::new(0);
        let result = with_ticker(
            Duration::from_millis(5),
            || {
                ticks.fetch_add(1, Ordering::SeqCst);
            },
            || {
                std::thread::sleep(Duration::from_millis(100));
                7
            },
        );
        assert_eq!(result, 7);
        let ticks = ticks.load(Ordering::SeqCst);
        assert!(
            (2..=20).contains(&ticks),
            "{ticks} ticks in 100 ms, every 5 ms"
        );
        // A tick of an hour: the work's end does not wait for it, and no
        // tick runs before the first hour has passed.
        let started = Instant::now();
        let ticked = AtomicUsize::new(0);
        with_ticker(
            Duration::from_secs(3600),
            || {
                ticked.fetch_add(1, Ordering::SeqCst);
            },
            || (),
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(ticked.load(Ordering::SeqCst), 0);
        // Nor does a panic of the work wait for it; the panic goes on.
        let outcome =
            catch_unwind(|| with_ticker(Duration::from_secs(3600), || (), || panic!("work broke")));
        let payload = outcome.expect_err("the panic must reach the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"work broke"));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn results_come_in_item_order_whatever_order_the_work_finishes_in() {
        let items: Vec<u64> = (0..20).collect();
        // Early items take longest: they finish last.
        let results = run_parallel(&items, 4, |&i| {
            std::thread::sleep(Duration::from_millis(20 - i));
            i * 10
        });
        assert_eq!(results, items.iter().map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn never_more_than_the_bound_at_once() {
        let items: Vec<usize> = (0..24).collect();
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        run_parallel(&items, 3, |_| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
            running.fetch_sub(1, Ordering::SeqCst);
        });
        let most = most.load(Ordering::SeqCst);
        assert!(most <= 3, "{most} items ran at once, the bound is 3");
        assert!(
            most >= 2,
            "the items ran one at a time ({most}), not in parallel"
        );
    }

    #[test]
    fn a_bound_of_zero_still_does_the_work_and_an_empty_slice_returns_nothing() {
        assert_eq!(run_parallel(&[1, 2, 3], 0, |i| i + 1), vec![2, 3, 4]);
        assert!(run_parallel(&[] as &[u8], 8, |i| *i).is_empty());
        assert_eq!(run_on_cores(&[5, 6], |i| i * 2), vec![10, 12]);
    }

    #[test]
    fn a_panic_in_one_item_reaches_the_caller_with_its_message_after_the_others_ran() {
        let items: Vec<usize> = (0..10).collect();
        let done = AtomicUsize::new(0);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            run_parallel(&items, 2, |&i| {
                if i == 3 {
                    panic!("item three is broken");
                }
                done.fetch_add(1, Ordering::SeqCst);
            })
        }));
        let payload = outcome.expect_err("the panic must reach the caller");
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert_eq!(message, "item three is broken");
        assert_eq!(done.load(Ordering::SeqCst), 9, "every other item ran");
    }
}
