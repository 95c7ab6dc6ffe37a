//! The EmbeddingGemma network on candle: the bidirectional Gemma 3 encoder,
//! mean pooling, the two Dense layers and L2 normalisation.
//!
//! One text at a time, so there is no padding and no mask: every text is at
//! most [`crate::MAX_TOKENS`] tokens, inside every layer's attention window
//! (local layers see 256 tokens either side), so every layer attends to
//! the whole text.
//!
//! The projections are either kept in f32 — multiplied by
//! [`crate::matmul`] for one text, by candle for a pack of texts — or
//! quantised to 8 bits per weight (GGML's Q8_0: blocks of 32 weights with
//! one f16 scale), which candle multiplies with integer dot products; the
//! embedding table is then kept in f16 and its rows widened to f32 when
//! read. Or, where the CPU has the AMX tile unit and by default there,
//! they are held in bfloat16 ([`crate::amx`]), and attention runs on the
//! tiles too ([`crate::attention`]). Norms, rotary positions
//! ([`crate::rotary`], once per layer for the whole pack), the softmax
//! and pooling run in f32.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor};

use rayon::prelude::*;

use crate::EmbedError;
use crate::matmul;
use crate::rotary::Rotary;

/// How the weights of the projections are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// As published: 32-bit floats (1.2 GB in memory); within cosine
    /// 0.99999 of the reference on every parity text.
    F32,
    /// Bfloat16 copies of the encoder's projections, multiplied by the
    /// AMX tile unit (the crate's `amx` module): several times faster than f32 on
    /// CPUs that have it, within cosine 0.9999 of the reference. Where
    /// there is no AMX it is [`Precision::F32`]. Vectors are shared with
    /// f32 (same key): they differ less than the parity test allows.
    Bf16,
    /// 8-bit blocks (Q8_0) for the encoder's projections, 16-bit floats for
    /// the embedding table: about 0.5 GB in memory, but only within cosine
    /// 0.998 of the reference, and on CPUs with AVX-512 no faster than the
    /// f32 projections (multiplied by fihris-embed's own kernel); so not the
    /// default.
    Q8,
}

impl Default for Precision {
    /// [`Precision::Bf16`] where the CPU has AMX (and Linux grants it),
    /// else [`Precision::F32`].
    fn default() -> Precision {
        if amx_available() {
            Precision::Bf16
        } else {
            Precision::F32
        }
    }
}

/// Whether the AMX tile unit can be used.
fn amx_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    return crate::amx::available();
    #[cfg(not(target_arch = "x86_64"))]
    return false;
}

/// The shape of the network, from `config.json`.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Config {
    hidden_size: usize,
    intermediate_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    num_key_value_heads: usize,
    head_dim: usize,
    rms_norm_eps: f64,
    rope_theta: f64,
    rope_local_base_freq: f64,
    query_pre_attn_scalar: f64,
    sliding_window: usize,
    layer_types: Vec<String>,
    hidden_activation: String,
    #[serde(default)]
    use_bidirectional_attention: bool,
}

fn model_err(e: candle_core::Error) -> EmbedError {
    EmbedError::Model(e.to_string())
}

/// A linear map without bias.
enum Linear {
    /// The weights as published, `(outputs, inputs)`.
    F32(Tensor),
    /// Quantised, through candle's 8-bit kernels.
    Q8(QMatMul),
    /// In bfloat16 for the AMX tile unit.
    #[cfg(target_arch = "x86_64")]
    Bf16(crate::amx::PackedBf16),
}

/// Up to this many rows (one text: [`crate::MAX_TOKENS`]) the f32
/// projections go through [`crate::matmul`], which reads the weights where
/// they are (on CPUs with AVX-512); a pack of texts goes through candle,
/// whose matrix library packs the weights once for hundreds of rows.
const FEW_ROWS: usize = crate::MAX_TOKENS;

impl Linear {
    fn new(w: Tensor, precision: Precision) -> candle_core::Result<Linear> {
        Ok(match precision {
            #[cfg(target_arch = "x86_64")]
            Precision::Bf16 if amx_available() => {
                let (n, k) = w.dims2()?;
                let w = w.contiguous()?;
                match with_f32(&w, |v| crate::amx::PackedBf16::pack(v, n, k))? {
                    Some(packed) => Linear::Bf16(packed),
                    None => Linear::F32(w),
                }
            }
            Precision::F32 | Precision::Bf16 => Linear::F32(w.contiguous()?),
            Precision::Q8 => Linear::Q8(QMatMul::from_qtensor(QTensor::quantize(
                &w,
                GgmlDType::Q8_0,
            )?)?),
        })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Linear::Q8(q) => q.forward(x),
            #[cfg(target_arch = "x86_64")]
            Linear::Bf16(p) => {
                let mut dims = x.dims().to_vec();
                let x = x.contiguous()?;
                let y = with_f32(&x, |x| p.product(x))?;
                if let Some(last) = dims.last_mut() {
                    *last = p.n();
                }
                Tensor::from_vec(y, dims, &Device::Cpu)
            }
            Linear::F32(w) => {
                let (n, k) = w.dims2()?;
                let mut dims = x.dims().to_vec();
                if dims.last() != Some(&k) {
                    candle_core::bail!("{dims:?} activations for {k} inputs");
                }
                if x.elem_count() / k <= FEW_ROWS {
                    let x = x.contiguous()?;
                    let y = with_f32(&x, |x| with_f32(w, |w| matmul::product(x, w, n, k)))??;
                    if let Some(y) = y {
                        if let Some(last) = dims.last_mut() {
                            *last = n;
                        }
                        return Tensor::from_vec(y, dims, &Device::Cpu);
                    }
                }
                x.broadcast_matmul(&w.t()?)
            }
        }
    }
}

/// `gelu(gate) · up` ([`crate::activation`]) of a matrix whose rows are
/// `[gate | up]`: rows of half the width.
fn gelu_mul(gate_up: &Tensor) -> candle_core::Result<Tensor> {
    let gate_up = gate_up.contiguous()?;
    let (rows, width) = gate_up.dims2()?;
    let v = with_f32(&gate_up, |x| crate::activation::gelu_mul(x, width / 2))?;
    Tensor::from_vec(v, (rows, width / 2), &Device::Cpu)
}

/// Runs `f` on the f32 elements of a contiguous tensor on the CPU, in
/// place (the storage stays locked for reading meanwhile).
fn with_f32<T>(t: &Tensor, f: impl FnOnce(&[f32]) -> T) -> candle_core::Result<T> {
    let (storage, layout) = t.storage_and_layout();
    let Some((from, to)) = layout.contiguous_offsets() else {
        candle_core::bail!("a tensor not contiguous");
    };
    match &*storage {
        candle_core::Storage::Cpu(cpu) => Ok(f(&cpu.as_slice::<f32>()?[from..to])),
        _ => candle_core::bail!("a tensor not on the CPU"),
    }
}

/// Gemma's RMS norm: `x / rms(x) * (1 + w)` ([`crate::norm`]).
struct Norm {
    scale: Vec<f32>,
    eps: f32,
}

impl Norm {
    fn new(w: Tensor, eps: f64) -> candle_core::Result<Norm> {
        Ok(Norm {
            scale: (w + 1.0)?.to_vec1()?,
            eps: eps as f32,
        })
    }

    /// Normalises `x` over its last dimension (of `scale`'s length).
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        Tensor::from_vec(self.values(x)?, x.dims(), &Device::Cpu)
    }

    /// [`Norm::forward`]'s values, row after row (rows of `scale`'s
    /// length).
    fn values(&self, x: &Tensor) -> candle_core::Result<Vec<f32>> {
        with_f32(&x.contiguous()?, |v| {
            crate::norm::rms_norm(v, &self.scale, self.eps)
        })
    }
}

struct Layer {
    input_norm: Norm,
    /// The query, key and value projections as one matrix (their outputs
    /// side by side): the activations are read, and rounded for the tile
    /// unit, once instead of three times.
    qkv: Linear,
    o: Linear,
    q_norm: Norm,
    k_norm: Norm,
    post_attention_norm: Norm,
    pre_feedforward_norm: Norm,
    /// The gate and up projections as one matrix, likewise.
    gate_up: Linear,
    down: Linear,
    post_feedforward_norm: Norm,
    global: bool,
}

/// The whole network.
pub(crate) struct Encoder {
    embed: Tensor,
    embed_scale: f64,
    layers: Vec<Layer>,
    norm: Norm,
    dense: [Linear; 2],
    /// Rotary positions of the local layers, then of the global ones.
    rotary: [Rotary; 2],
    /// With bfloat16 on the AMX tile unit, attention there too
    /// ([`crate::attention`]).
    #[cfg(target_arch = "x86_64")]
    tiles: bool,
    heads: usize,
    head_dim: usize,
    attn_scale: f64,
    dim: usize,
}

/// The tensors of one safetensors file, read one at a time (no memory
/// map: loading never holds the file and the tensors made of it at once).
struct Weights {
    file: File,
    path: PathBuf,
    /// Where the tensor data starts in the file.
    data: u64,
    tensors: HashMap<String, Entry>,
}

/// One tensor of a safetensors header.
#[derive(serde::Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: (u64, u64),
}

impl Weights {
    fn open(path: &Path) -> Result<Weights, EmbedError> {
        let bad = |why: String| EmbedError::Model(format!("{}: {why}", path.display()));
        let mut file = File::open(path).map_err(|e| bad(e.to_string()))?;
        let mut len = [0u8; 8];
        file.read_exact(&mut len).map_err(|e| bad(e.to_string()))?;
        let len = u64::from_le_bytes(len);
        if len > 100_000_000 {
            return Err(bad(format!("a header of {len} bytes")));
        }
        let mut header = vec![0u8; len as usize];
        file.read_exact(&mut header)
            .map_err(|e| bad(e.to_string()))?;
        let mut all: HashMap<String, serde_json::Value> =
            serde_json::from_slice(&header).map_err(|e| bad(format!("header: {e}")))?;
        all.remove("__metadata__");
        let tensors = all
            .into_iter()
            .map(|(name, v)| {
                serde_json::from_value::<Entry>(v)
                    .map(|e| (name.clone(), e))
                    .map_err(|e| bad(format!("header of {name}: {e}")))
            })
            .collect::<Result<_, _>>()?;
        Ok(Weights {
            file,
            path: path.to_owned(),
            data: 8 + len,
            tensors,
        })
    }

    /// The first dimension of tensor `name`.
    fn rows(&self, name: &str) -> candle_core::Result<usize> {
        match self.tensors.get(name).map(|e| e.shape.first()) {
            Some(Some(&n)) => Ok(n),
            _ => candle_core::bail!("{}: no tensor {name}", self.path.display()),
        }
    }

    /// Tensor `name`, which must be f32 of `shape`.
    fn get(&self, name: &str, shape: &[usize]) -> candle_core::Result<Tensor> {
        let at = self.path.display();
        let Some(e) = self.tensors.get(name) else {
            candle_core::bail!("{at}: no tensor {name}");
        };
        let count: usize = shape.iter().product();
        if e.dtype != "F32"
            || e.shape != shape
            || e.data_offsets.1 - e.data_offsets.0 != 4 * count as u64
        {
            candle_core::bail!(
                "{at}: {name} is {} {:?}, expected F32 {shape:?}",
                e.dtype,
                e.shape
            );
        }
        let mut v = vec![0f32; count];
        let mut f = &self.file;
        f.seek(SeekFrom::Start(self.data + e.data_offsets.0))?;
        f.read_exact(bytemuck::cast_slice_mut(&mut v))?;
        for x in &mut v {
            *x = f32::from_bits(u32::from_le(x.to_bits()));
        }
        Tensor::from_vec(v, shape, &Device::Cpu)
    }
}

impl Encoder {
    /// Loads the network from a sentence-transformers folder.
    pub(crate) fn load(dir: &Path, precision: Precision) -> Result<Encoder, EmbedError> {
        let text =
            std::fs::read_to_string(dir.join("config.json")).map_err(|e| EmbedError::Missing {
                dir: dir.to_owned(),
                reason: format!("config.json: {e}"),
            })?;
        let c: Config = serde_json::from_str(&text)
            .map_err(|e| EmbedError::Model(format!("config.json: {e}")))?;
        check(&c)?;
        let main = Weights::open(&dir.join("model.safetensors"))?;
        let dense1 = Weights::open(&dir.join("2_Dense/model.safetensors"))?;
        let dense2 = Weights::open(&dir.join("3_Dense/model.safetensors"))?;
        Encoder::build(&c, &main, [&dense1, &dense2], precision).map_err(model_err)
    }

    fn build(
        c: &Config,
        w: &Weights,
        dense: [&Weights; 2],
        precision: Precision,
    ) -> candle_core::Result<Encoder> {
        let (h, hd, inter) = (c.hidden_size, c.head_dim, c.intermediate_size);
        let (nq, nkv) = (c.num_attention_heads, c.num_key_value_heads);
        let lin =
            |name: &str, out: usize, inp: usize| Linear::new(w.get(name, &[out, inp])?, precision);
        // Projections of the same input, their outputs side by side.
        let side_by_side = |names: &[(String, usize)], inp: usize| {
            let parts = names
                .iter()
                .map(|(name, out)| w.get(name, &[*out, inp]))
                .collect::<candle_core::Result<Vec<_>>>()?;
            Linear::new(Tensor::cat(&parts, 0)?, precision)
        };
        let norm = |name: &str, n: usize| Norm::new(w.get(name, &[n])?, c.rms_norm_eps);
        let mut layers = Vec::with_capacity(c.num_hidden_layers);
        for (i, kind) in c.layer_types.iter().enumerate() {
            let p = |s: &str| format!("layers.{i}.{s}");
            layers.push(Layer {
                input_norm: norm(&p("input_layernorm.weight"), h)?,
                qkv: side_by_side(
                    &[
                        (p("self_attn.q_proj.weight"), nq * hd),
                        (p("self_attn.k_proj.weight"), nkv * hd),
                        (p("self_attn.v_proj.weight"), nkv * hd),
                    ],
                    h,
                )?,
                o: lin(&p("self_attn.o_proj.weight"), h, nq * hd)?,
                q_norm: norm(&p("self_attn.q_norm.weight"), hd)?,
                k_norm: norm(&p("self_attn.k_norm.weight"), hd)?,
                post_attention_norm: norm(&p("post_attention_layernorm.weight"), h)?,
                pre_feedforward_norm: norm(&p("pre_feedforward_layernorm.weight"), h)?,
                gate_up: side_by_side(
                    &[
                        (p("mlp.gate_proj.weight"), inter),
                        (p("mlp.up_proj.weight"), inter),
                    ],
                    h,
                )?,
                down: lin(&p("mlp.down_proj.weight"), h, inter)?,
                post_feedforward_norm: norm(&p("post_feedforward_layernorm.weight"), h)?,
                global: kind == "full_attention",
            });
        }
        let vocab = w.rows("embed_tokens.weight")?;
        let embed = w.get("embed_tokens.weight", &[vocab, h])?;
        let embed = match precision {
            Precision::F32 | Precision::Bf16 => embed,
            Precision::Q8 => embed.to_dtype(DType::F16)?,
        };
        let d1 = dense[0].rows("linear.weight")?;
        // The two Dense layers after pooling stay f32 at every precision:
        // they read one row, so 8 bits would save no time, and they are
        // where quantisation drifts most from the reference.
        let dense = [
            Linear::new(dense[0].get("linear.weight", &[d1, h])?, Precision::F32)?,
            Linear::new(dense[1].get("linear.weight", &[h, d1])?, Precision::F32)?,
        ];
        let positions = crate::MAX_TOKENS;
        Ok(Encoder {
            embed,
            embed_scale: (h as f64).sqrt(),
            layers,
            norm: norm("norm.weight", h)?,
            dense,
            rotary: [c.rope_local_base_freq, c.rope_theta]
                .map(|base| Rotary::new(hd, positions, base)),
            #[cfg(target_arch = "x86_64")]
            tiles: precision == Precision::Bf16 && amx_available() && hd.is_multiple_of(32),
            heads: nq,
            head_dim: hd,
            attn_scale: c.query_pre_attn_scalar.powf(-0.5),
            dim: h,
        })
    }

    /// Length of the vectors.
    pub(crate) fn dim(&self) -> usize {
        self.dim
    }

    /// The unit vectors of tokenised texts (each of 1 to
    /// [`crate::MAX_TOKENS`] ids), in order. The texts are packed into one
    /// sequence of at most [`PACKED_TOKENS`] tokens at a time: every
    /// per-token step (norms, projections, the feed-forward) runs on the
    /// whole pack as one matrix, which the matrix library computes far
    /// faster than many small ones; attention and pooling run text by text,
    /// each text with its own positions, so no text sees another and the
    /// result is each text's own vector (no padding, no masks).
    pub(crate) fn embed(&self, texts: &[&[u32]]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut out = Vec::with_capacity(texts.len());
        let mut pack: Vec<&[u32]> = Vec::new();
        let mut tokens = 0;
        for ids in texts {
            if !pack.is_empty() && tokens + ids.len() > PACKED_TOKENS {
                out.extend(self.forward(&pack).map_err(model_err)?);
                pack.clear();
                tokens = 0;
            }
            tokens += ids.len();
            pack.push(ids);
        }
        if !pack.is_empty() {
            out.extend(self.forward(&pack).map_err(model_err)?);
        }
        Ok(out)
    }

    /// The vectors of one pack of texts.
    fn forward(&self, texts: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let mut spans = Vec::with_capacity(texts.len());
        let mut all: Vec<u32> = Vec::new();
        for ids in texts {
            let t = ids.len();
            if t == 0 || t > crate::MAX_TOKENS {
                candle_core::bail!("{t} tokens: between 1 and {} are read", crate::MAX_TOKENS);
            }
            spans.push((all.len(), t));
            all.extend_from_slice(ids);
        }
        let ids = Tensor::from_slice(&all, all.len(), &Device::Cpu)?;
        let mut x = (self.embed.index_select(&ids, 0)?.to_dtype(DType::F32)? * self.embed_scale)?;
        for layer in &self.layers {
            x = self.layer(layer, &x, &spans)?;
        }
        let x = self.norm.forward(&x)?;
        let pooled: Vec<Tensor> = spans
            .iter()
            .map(|&(start, t)| x.narrow(0, start, t)?.mean_keepdim(0))
            .collect::<candle_core::Result<_>>()?;
        let pooled = Tensor::cat(&pooled, 0)?;
        let out = self.dense[1].forward(&self.dense[0].forward(&pooled)?)?;
        let norms = out.sqr()?.sum_keepdim(1)?.sqrt()?;
        out.broadcast_div(&norms)?.to_vec2()
    }

    /// Attention over a pack, text by text: `q_all` (tokens, heads,
    /// head_dim) and `k_all` (tokens, 1, head_dim) already rotated, and
    /// `v_all` (tokens, head_dim), for the whole pack; the contexts
    /// (tokens, heads · head_dim).
    fn attention(
        &self,
        q_all: &Tensor,
        k_all: &Tensor,
        v_all: &Tensor,
        spans: &[(usize, usize)],
    ) -> candle_core::Result<Tensor> {
        let total = q_all.dim(0)?;
        let (nq, hd) = (self.heads, self.head_dim);
        #[cfg(target_arch = "x86_64")]
        if self.tiles {
            let shape = crate::attention::Heads {
                heads: nq,
                dim: hd,
                scale: self.attn_scale as f32,
            };
            let (q, k, v) = (
                q_all.contiguous()?,
                k_all.contiguous()?,
                v_all.contiguous()?,
            );
            let ctx = with_f32(&q, |q| {
                with_f32(&k, |k| {
                    with_f32(&v, |v| crate::attention::attend(q, k, v, spans, shape))
                })
            })???;
            return Tensor::from_vec(ctx, (total, nq * hd), &Device::Cpu);
        }
        // Text by text, the texts shared among the threads.
        let contexts: Vec<Tensor> = spans
            .par_iter()
            .map(|&(start, t)| {
                // Every query head shares the one key-value head: stack the
                // heads' queries (heads, tokens, head_dim) and multiply once.
                let q = q_all
                    .narrow(0, start, t)?
                    .transpose(0, 1)?
                    .contiguous()?
                    .reshape((nq * t, hd))?;
                let k = k_all.narrow(0, start, t)?.reshape((t, hd))?;
                let v = v_all.narrow(0, start, t)?;
                let scores = (q.matmul(&k.t()?)? * self.attn_scale)?;
                let probs = candle_nn::ops::softmax_last_dim(&scores)?;
                probs
                    .matmul(&v.contiguous()?)?
                    .reshape((nq, t, hd))?
                    .transpose(0, 1)?
                    .reshape((t, nq * hd))
            })
            .collect::<candle_core::Result<_>>()?;
        Tensor::cat(&contexts, 0)
    }

    /// One layer over a pack: `spans` are the texts' (start, tokens).
    fn layer(
        &self,
        l: &Layer,
        x: &Tensor,
        spans: &[(usize, usize)],
    ) -> candle_core::Result<Tensor> {
        let total = x.dim(0)?;
        let (nq, hd) = (self.heads, self.head_dim);
        let h = l.input_norm.forward(x)?;
        // Projected, normed per head and rotated, for the whole pack.
        let qkv = l.qkv.forward(&h)?;
        let rotary = &self.rotary[usize::from(l.global)];
        let mut q = l.q_norm.values(&qkv.narrow(1, 0, nq * hd)?)?;
        rotary.rotate_pack(&mut q, nq, spans);
        let q_all = Tensor::from_vec(q, (total, nq, hd), &Device::Cpu)?;
        let mut k = l.k_norm.values(&qkv.narrow(1, nq * hd, hd)?)?;
        rotary.rotate_pack(&mut k, 1, spans);
        let k_all = Tensor::from_vec(k, (total, 1, hd), &Device::Cpu)?;
        // (tokens, head_dim): one key-value head.
        let v_all = qkv.narrow(1, (nq + 1) * hd, hd)?;
        let ctx = self.attention(&q_all, &k_all, &v_all, spans)?;
        let attn = l.post_attention_norm.forward(&l.o.forward(&ctx)?)?;
        let x = (x + attn)?;
        let h = l.pre_feedforward_norm.forward(&x)?;
        let inner = gelu_mul(&l.gate_up.forward(&h)?)?;
        let mlp = l.post_feedforward_norm.forward(&l.down.forward(&inner)?)?;
        x + mlp
    }
}

/// Most tokens packed into one pass.
const PACKED_TOKENS: usize = 2048;

/// Refuses a configuration this encoder does not implement.
fn check(c: &Config) -> Result<(), EmbedError> {
    let refuse = |why: String| Err(EmbedError::Model(format!("config.json: {why}")));
    if !c.use_bidirectional_attention {
        return refuse("not a bidirectional encoder".into());
    }
    if c.num_key_value_heads != 1 {
        return refuse(format!(
            "{} key-value heads (1 is implemented)",
            c.num_key_value_heads
        ));
    }
    if c.hidden_activation != "gelu_pytorch_tanh" {
        return refuse(format!("activation {}", c.hidden_activation));
    }
    if c.layer_types.len() != c.num_hidden_layers {
        return refuse(format!(
            "{} layer types for {} layers",
            c.layer_types.len(),
            c.num_hidden_layers
        ));
    }
    if let Some(bad) = c
        .layer_types
        .iter()
        .find(|k| *k != "full_attention" && *k != "sliding_attention")
    {
        return refuse(format!("layer type {bad}"));
    }
    if c.sliding_window / 2 < crate::MAX_TOKENS {
        return refuse(format!(
            "a sliding window of {} is narrower than the {} tokens read",
            c.sliding_window,
            crate::MAX_TOKENS
        ));
    }
    Ok(())
}
