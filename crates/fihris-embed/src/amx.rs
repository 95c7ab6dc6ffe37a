//! The projections' products on Intel AMX (Advanced Matrix Extensions):
//! `x · Wᵀ` with the weights and the activations rounded to bfloat16 and
//! the products summed in f32, by the tile unit, sixteen times the
//! multiply–adds per cycle of AVX-512 in f32.
//!
//! The weights are repacked once, when the model is loaded, into the
//! layout the tile unit reads ([`PackedBf16`]: tiles of 16 output columns ×
//! 32 inputs, pairs of inputs side by side), in 64-byte-aligned lines. A
//! product then converts the activations to bfloat16 (rows padded to a
//! multiple of 32, in an aligned buffer kept per thread), and each thread
//! takes a share of the output columns, in groups whose weights fit in
//! half the core's L2 cache; within a group, for each block of 32 rows
//! and 32 columns, four accumulator tiles, two tiles of activations and
//! two of weights, stepping 32 inputs at a time.
//!
//! Rounding to bfloat16 (8 bits of mantissa) costs little here: on the
//! parity texts the vectors stay within cosine 0.9999 of the reference
//! (the parity test holds every text to ≥ 0.999).
//!
//! The instructions are written with `asm!` (the AMX intrinsics are not
//! stable Rust); Linux must grant the process the tile state
//! (`arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)`), which
//! [`available`] asks for once.

use std::arch::asm;
use std::sync::OnceLock;

use rayon::prelude::*;

/// Rows and columns of one accumulator tile.
const TILE: usize = 16;
/// Inputs of one step (32 bfloat16 = one 64-byte tile row).
const STEP: usize = 32;
/// Bytes of packed weights one thread works through per pass over the
/// rows: half the L2 cache of this machine's cores (2 MB), so that the
/// weights are read from memory once, not once per block of rows.
const GROUP_BYTES: usize = 1 << 20;
/// Bfloat16 values in one tile of weights (16 rows of 32).
const TILE_VALUES: usize = TILE * STEP;

/// Whether this CPU has AMX with bfloat16 and the kernel lets this process
/// use it (asked once).
pub(crate) fn available() -> bool {
    static GRANTED: OnceLock<bool> = OnceLock::new();
    *GRANTED.get_or_init(|| {
        // CPUID leaf 7: EDX bit 22 AMX-BF16, bit 24 AMX-TILE.
        let ids = std::arch::x86_64::__cpuid_count(7, 0);
        if (ids.edx >> 22) & 1 == 0 || (ids.edx >> 24) & 1 == 0 {
            return false;
        }
        request_tile_data()
    })
}

/// `arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)`: asks Linux for
/// the tile state, for the whole process; `true` if granted.
#[cfg(target_os = "linux")]
fn request_tile_data() -> bool {
    const SYS_ARCH_PRCTL: i64 = 158;
    const ARCH_REQ_XCOMP_PERM: i64 = 0x1023;
    const XFEATURE_XTILEDATA: i64 = 18;
    let ret: i64;
    // SAFETY: a system call that only changes the process's permissions;
    // it reads no memory of ours. rcx and r11 are clobbered by `syscall`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_ARCH_PRCTL => ret,
            in("rdi") ARCH_REQ_XCOMP_PERM,
            in("rsi") XFEATURE_XTILEDATA,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret == 0
}

/// Other systems: not asked, not used.
#[cfg(not(target_os = "linux"))]
fn request_tile_data() -> bool {
    false
}

/// `f` rounded to the nearest bfloat16 (ties to even).
#[inline(always)]
fn bf16(f: f32) -> u16 {
    let b = f.to_bits();
    // The upper half after rounding; the result fits in 16 bits (wrapping
    // arithmetic: no overflow check to keep the loop from being vectorised).
    (b.wrapping_add(0x7FFF + ((b >> 16) & 1)) >> 16) as u16
}

/// `from` rounded to bfloat16 into the start of `to`.
fn to_bf16(from: &[f32], to: &mut [u16]) {
    #[target_feature(enable = "avx512f,avx512bw")]
    unsafe fn wide(from: &[f32], to: &mut [u16]) {
        for (t, f) in to.iter_mut().zip(from) {
            *t = bf16(*f);
        }
    }
    if std::arch::is_x86_feature_detected!("avx512bw") {
        // SAFETY: AVX-512F and BW are there.
        unsafe { wide(from, to) };
    } else {
        for (t, f) in to.iter_mut().zip(from) {
            *t = bf16(*f);
        }
    }
}

/// A weight matrix (`n` outputs × `k` inputs) in bfloat16, in the tile
/// unit's layout: for each block of 16 outputs, for each step of 32
/// inputs, 16 rows of (16 outputs × 2 consecutive inputs).
pub(crate) struct PackedBf16 {
    n: usize,
    k: usize,
    tiles: Vec<Line>,
}

/// One cache line of bfloat16 values, aligned to it: the tile unit loads
/// rows that straddle two cache lines several times slower (2–3× on the
/// whole product here), so the weights and the activations live in lines.
#[repr(C, align(64))]
#[derive(Clone, Copy)]
struct Line([u16; STEP]);

// SAFETY: 32 u16 fill the 64 bytes exactly: no padding, any bits valid.
unsafe impl bytemuck::Zeroable for Line {}
// SAFETY: as above; `Copy` and `repr(C)`.
unsafe impl bytemuck::Pod for Line {}

/// `len` zeroed lines.
fn lines(len: usize) -> Vec<Line> {
    vec![Line([0; STEP]); len]
}

thread_local! {
    /// The activations in bfloat16, kept between products: a fresh buffer
    /// of megabytes each time costs page faults.
    static ACTIVATIONS: std::cell::RefCell<Vec<Line>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl PackedBf16 {
    /// Packs `w` (`n × k`, row-major, as stored); `None` unless `n` and `k`
    /// are multiples of 32.
    pub(crate) fn pack(w: &[f32], n: usize, k: usize) -> Option<PackedBf16> {
        if n == 0
            || k == 0
            || !n.is_multiple_of(2 * TILE)
            || !k.is_multiple_of(STEP)
            || w.len() != n * k
        {
            return None;
        }
        let mut tiles = lines(n * k / STEP);
        let to = bytemuck::cast_slice_mut::<Line, u16>(&mut tiles);
        let mut at = 0;
        for block in 0..n / TILE {
            for step in 0..k / STEP {
                for pair in 0..STEP / 2 {
                    for col in 0..TILE {
                        let from = (block * TILE + col) * k + step * STEP + 2 * pair;
                        to[at] = bf16(w[from]);
                        to[at + 1] = bf16(w[from + 1]);
                        at += 2;
                    }
                }
            }
        }
        Some(PackedBf16 { n, k, tiles })
    }

    /// Outputs.
    pub(crate) fn n(&self) -> usize {
        self.n
    }

    /// `x · Wᵀ` for `x` of `m × k` (row-major): the `m × n` product.
    /// The caller has checked [`available`].
    pub(crate) fn product(&self, x: &[f32]) -> Vec<f32> {
        let k = self.k;
        assert!(x.len().is_multiple_of(k), "activations of {k} columns");
        let m = x.len() / k;
        let rows = m.next_multiple_of(2 * TILE);
        // Taken out of the thread's slot for the product, not borrowed:
        // while this thread waits for the others' share it may run
        // another product (rayon steals work), which then finds the slot
        // empty and makes its own buffer.
        let mut scratch = ACTIVATIONS.with_borrow_mut(std::mem::take);
        if scratch.len() < rows * k / STEP {
            scratch = lines(rows * k / STEP);
        }
        let a = &mut bytemuck::cast_slice_mut::<Line, u16>(&mut scratch)[..rows * k];
        to_bf16(x, a);
        // The padding rows: zero, not left from an earlier product.
        a[m * k..].fill(0);
        let y = self.product_of(a, m, rows);
        ACTIVATIONS.with_borrow_mut(|slot| {
            if slot.len() < scratch.len() {
                *slot = scratch;
            }
        });
        y
    }

    /// [`PackedBf16::product`] of the activations `a` already in
    /// bfloat16: `m` rows and zeros up to `rows`.
    fn product_of(&self, a: &[u16], m: usize, rows: usize) -> Vec<f32> {
        let n = self.n;
        // Every element is written by the tiles below (rows are a multiple
        // of 32, the column pairs cover all n): no zeroing first.
        let mut y: Vec<f32> = Vec::with_capacity(rows * n);
        // Pairs of column blocks, a few per thread.
        let pairs = n / (2 * TILE);
        let threads = rayon::current_num_threads().max(1);
        let per_task = pairs.div_ceil(threads * 2).max(1);
        let out = Out(y.as_mut_ptr());
        (0..pairs)
            .step_by(per_task)
            .collect::<Vec<_>>()
            .into_par_iter()
            .for_each(|first| {
                let last = (first + per_task).min(pairs);
                // SAFETY: AMX is granted (the caller checked `available`);
                // `a` holds `rows` rows of `k`, `y` `rows` rows of `n`, and
                // this task writes only the columns of its pairs.
                unsafe { self.columns(a, rows, first..last, &out) };
            });
        // SAFETY: the tasks above wrote all rows × n elements (see above).
        unsafe { y.set_len(rows * n) };
        y.truncate(m * n);
        y
    }

    /// The products of all `rows` rows of `a` with the column pairs
    /// `pairs` (32 columns each), written into `out`.
    ///
    /// # Safety
    /// AMX is granted to the process; `a` holds `rows × k` values and `out`
    /// points at `rows × n` floats; `rows` is a multiple of 32; no other
    /// thread writes these columns meanwhile.
    unsafe fn columns(&self, a: &[u16], rows: usize, pairs: std::ops::Range<usize>, out: &Out) {
        let (n, k) = (self.n, self.k);
        debug_assert!(a.len() >= rows * k && rows.is_multiple_of(2 * TILE));
        // Palette 1; eight tiles of 16 rows × 64 bytes.
        let mut config = TileConfig([0; 64]);
        config.0[0] = 1;
        for t in 0..8 {
            config.0[16 + 2 * t] = 64;
            config.0[48 + t] = 16;
        }
        let a_stride = k * 2;
        let w_stride = 64usize;
        let y_stride = n * 4;
        let steps = k / STEP;
        let tiles: &[u16] = bytemuck::cast_slice(&self.tiles);
        // SAFETY: the configuration is 64 bytes, aligned, palette 1.
        unsafe { asm!("ldtilecfg [{}]", in(reg) config.0.as_ptr(), options(nostack)) };
        // The weights of a group of column pairs stay in the core's L2
        // cache while every row block passes by them.
        let group = (GROUP_BYTES / (2 * TILE * k * 2)).max(1);
        for first in pairs.clone().step_by(group) {
            let last = (first + group).min(pairs.end);
            for r in (0..rows).step_by(2 * TILE) {
                for pair in first..last {
                    let (b0, b1) = (2 * pair, 2 * pair + 1);
                    // SAFETY: every address below is inside `a`, the packed
                    // weights or the output block (rows r .. r + 32, columns
                    // 32·pair .. 32·pair + 32), read or written 16 rows at the
                    // strides given.
                    unsafe {
                        asm!(
                            "tilezero tmm0",
                            "tilezero tmm1",
                            "tilezero tmm2",
                            "tilezero tmm3",
                            options(nostack)
                        );
                        for s in 0..steps {
                            let a0 = a.as_ptr().add(r * k + s * STEP);
                            let a1 = a0.add(TILE * k);
                            let w0 = tiles.as_ptr().add((b0 * steps + s) * TILE_VALUES);
                            let w1 = tiles.as_ptr().add((b1 * steps + s) * TILE_VALUES);
                            asm!(
                                "tileloadd tmm4, [{a0} + {sa}*1]",
                                "tileloadd tmm5, [{a1} + {sa}*1]",
                                "tileloadd tmm6, [{w0} + {sw}*1]",
                                "tileloadd tmm7, [{w1} + {sw}*1]",
                                "tdpbf16ps tmm0, tmm4, tmm6",
                                "tdpbf16ps tmm1, tmm4, tmm7",
                                "tdpbf16ps tmm2, tmm5, tmm6",
                                "tdpbf16ps tmm3, tmm5, tmm7",
                                a0 = in(reg) a0,
                                a1 = in(reg) a1,
                                w0 = in(reg) w0,
                                w1 = in(reg) w1,
                                sa = in(reg) a_stride,
                                sw = in(reg) w_stride,
                                options(nostack),
                            );
                        }
                        let y00 = out.0.add(r * n + b0 * TILE);
                        let y01 = out.0.add(r * n + b1 * TILE);
                        let y10 = y00.add(TILE * n);
                        let y11 = y01.add(TILE * n);
                        asm!(
                            "tilestored [{y00} + {sy}*1], tmm0",
                            "tilestored [{y01} + {sy}*1], tmm1",
                            "tilestored [{y10} + {sy}*1], tmm2",
                            "tilestored [{y11} + {sy}*1], tmm3",
                            y00 = in(reg) y00,
                            y01 = in(reg) y01,
                            y10 = in(reg) y10,
                            y11 = in(reg) y11,
                            sy = in(reg) y_stride,
                            options(nostack),
                        );
                    }
                }
            }
        }
        // SAFETY: releases the tile state configured above.
        unsafe { asm!("tilerelease", options(nostack)) };
    }
}

/// The tile configuration `ldtilecfg` reads.
#[repr(C, align(64))]
struct TileConfig([u8; 64]);

/// The output matrix, shared by the threads that write its columns.
struct Out(*mut f32);

// SAFETY: each thread writes a different set of columns (`columns`).
unsafe impl Sync for Out {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tile_product_matches_f64_within_bfloat16_rounding() {
        if !available() {
            eprintln!("no AMX here: nothing to check");
            return;
        }
        let (m, n, k) = (37, 96, 64);
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((seed >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        };
        let x: Vec<f32> = (0..m * k).map(|_| next()).collect();
        let w: Vec<f32> = (0..n * k).map(|_| next()).collect();
        let packed = PackedBf16::pack(&w, n, k).expect("multiples of 32");
        let y = packed.product(&x);
        assert_eq!(y.len(), m * n);
        for i in 0..m {
            for j in 0..n {
                let exact: f64 = (0..k)
                    .map(|c| f64::from(x[i * k + c]) * f64::from(w[j * k + c]))
                    .sum();
                let bound: f64 = (0..k)
                    .map(|c| (f64::from(x[i * k + c]) * f64::from(w[j * k + c])).abs())
                    .sum::<f64>()
                    * 2.0
                    * 2f64.powi(-8);
                let got = f64::from(y[i * n + j]);
                assert!((got - exact).abs() <= bound, "({i}, {j}): {got} vs {exact}");
            }
        }
        assert!(
            PackedBf16::pack(&w[..48 * k], 48, k).is_none(),
            "48 outputs: not a multiple of 32"
        );
    }

    #[test]
    fn products_inside_parallel_tasks_do_not_share_a_buffer() {
        if !available() {
            eprintln!("no AMX here: nothing to check");
            return;
        }
        // Products inside parallel tasks (as attention's, text by text),
        // each itself shared among the threads: every one gives its own
        // result.
        let (n, k) = (512, 256);
        let w: Vec<f32> = (0..n * k).map(|i| ((i * 7) % 13) as f32 - 6.0).collect();
        let packed = PackedBf16::pack(&w, n, k).expect("multiples of 32");
        let inputs: Vec<Vec<f32>> = (0..9)
            .map(|t| {
                (0..(64 + 50 * t) * k)
                    .map(|i| ((i + t) % 5) as f32)
                    .collect()
            })
            .collect();
        let alone: Vec<Vec<f32>> = inputs.iter().map(|x| packed.product(x)).collect();
        for _ in 0..20 {
            let together: Vec<Vec<f32>> = inputs.par_iter().map(|x| packed.product(x)).collect();
            assert_eq!(together, alone);
        }
    }
}
