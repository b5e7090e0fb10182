// Package runcache runs computations whose results are kept on disk, the
// pattern behind every trained network and every attack result of
// pointwise: a computation is a Task, named by a Key that holds every setting
// it depends on, the fingerprints of its data, its seed and the format
// version of its code (the BLAS in use is added to every key); a Runner runs
// it, or reads its result back.
//
// # One policy
//
//   - An entry is a gob file <Dir>/<Name>-<16 hex digits>.gob, the digits the
//     start of the SHA-256 of the key. It holds the key itself, which is
//     compared when it is read, so a file is never taken for another.
//   - An entry that cannot be read (truncated, corrupt, another format, or
//     rejected by the task's Check) is reported and computed again, and the
//     new value replaces it. It is never loaded, and never an error.
//   - Files are written atomically (package atomicfile): a reader, or a run
//     killed half-way, never sees a partial file. The temporary files a
//     killed run leaves behind are removed by the next run of the same task.
//   - Two processes that need the same entry at once compute it once: the
//     first takes a lock on <Dir>/<Name>-<hex>.lock (flock(2), which the
//     system releases when a process ends, even by SIGKILL), the other waits
//     for it, saying so, and then reads the entry. A lock file is removed by
//     the process that held it; one left by a killed process is taken over.
//   - One Reporter per task receives its progress and its log lines:
//     *figure.Progress is one. A runner without reporters reports nothing,
//     except an unreadable entry, which goes to standard error.
//   - A task's randomness comes from Key.Seed, which is part of the key:
//     the same key means the same streams.
//
// # Interruptions
//
// Interruptible returns a context that SIGINT cancels: what GoNB sends a
// cell's program when the front end's stop button is pressed (it kills the
// program with SIGKILL five seconds later). A task passes its context on,
// so that a computation stops at its next clean point (a training step, an
// attack batch), keeping its checkpoint, and releases its lock.
package runcache
