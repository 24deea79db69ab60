// Lane-parallel Philox4x32-10: the rounds of rng.h over many agents at once.
// Three kernels give identical words (integer arithmetic only): AVX-512 (16
// agents per vector), AVX2 (8) and portable scalar code; the fastest the CPU
// supports is chosen once, at run time. A multiply of Philox is 32 x 32 -> 64
// bits; SIMD has it only for the even 32-bit lanes (vpmuludq), so each round
// multiplies the even and the odd lanes separately and blends high and low
// halves back into place.
#include "core/rng_batch.h"

#if defined(__x86_64__)
// GCC 12's AVX-512 headers trip a false -Wmaybe-uninitialized (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace careabm::rng {

namespace {

constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;

// The SIMD kernels write whole groups of 16 (8) words: a chunk's size must be a multiple.
static_assert(Chunk::kSize % 16 == 0);

struct RoundKeys {
  std::uint32_t k0[10], k1[10];
  explicit RoundKeys(const Key& key) {
    for (int r = 0; r < 10; ++r) {
      k0[r] = key[0] + static_cast<std::uint32_t>(r) * kWeyl0;
      k1[r] = key[1] + static_cast<std::uint32_t>(r) * kWeyl1;
    }
  }
};

void lanes_scalar(const std::uint64_t* uids, std::size_t n, std::uint32_t word2, std::uint32_t word3,
                  const RoundKeys& rk, Chunk& out) {
  for (std::size_t j = 0; j < n; ++j) {
    std::uint32_t c0 = static_cast<std::uint32_t>(uids[j]), c1 = static_cast<std::uint32_t>(uids[j] >> 32);
    std::uint32_t c2 = word2, c3 = word3;
    for (int r = 0; r < 10; ++r) {
      const std::uint64_t p0 = std::uint64_t{kMul0} * c0;
      const std::uint64_t p1 = std::uint64_t{kMul1} * c2;
      const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
      const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
      c0 = hi1 ^ c1 ^ rk.k0[r];
      c1 = lo1;
      c2 = hi0 ^ c3 ^ rk.k1[r];
      c3 = lo0;
    }
    out.word[0][j] = c0, out.word[1][j] = c1, out.word[2][j] = c2, out.word[3][j] = c3;
  }
}

#if defined(__x86_64__)

// The uids of the group of `width` starting at j: in place, or for the last,
// partial group a padded copy (the chunk has room for the extra words).
template <std::size_t width>
const std::uint64_t* group_of(const std::uint64_t* uids, std::size_t j, std::size_t n,
                              std::uint64_t (&padded)[width]) {
  if (j + width <= n) return uids + j;
  for (std::size_t k = 0; k < n - j; ++k) padded[k] = uids[j + k];
  return padded;
}

__attribute__((target("avx2"))) void lanes_avx2(const std::uint64_t* uids, std::size_t n, std::uint32_t word2,
                                                std::uint32_t word3, const RoundKeys& rk, Chunk& out) {
  const __m256i mul0 = _mm256_set1_epi32(static_cast<int>(kMul0)),
                mul1 = _mm256_set1_epi32(static_cast<int>(kMul1));
  // Gathers the low (resp. high) 32-bit halves of 8 uids into one vector.
  const __m256i pack = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  std::uint64_t padded[8] = {};
  for (std::size_t j = 0; j < n; j += 8) {
    const std::uint64_t* src = group_of<8>(uids, j, n, padded);
    const __m256i a =
        _mm256_permutevar8x32_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src)), pack);
    const __m256i b =
        _mm256_permutevar8x32_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 4)), pack);
    __m256i c0 = _mm256_permute2x128_si256(a, b, 0x20), c1 = _mm256_permute2x128_si256(a, b, 0x31);
    __m256i c2 = _mm256_set1_epi32(static_cast<int>(word2)), c3 = _mm256_set1_epi32(static_cast<int>(word3));
    for (int r = 0; r < 10; ++r) {
      const __m256i e0 = _mm256_mul_epu32(c0, mul0), o0 = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), mul0);
      const __m256i e1 = _mm256_mul_epu32(c2, mul1), o1 = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), mul1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
      const __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xAA);
      c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(rk.k0[r])));
      c1 = lo1;
      c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(rk.k1[r])));
      c3 = lo0;
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.word[0] + j), c0);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.word[1] + j), c1);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.word[2] + j), c2);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.word[3] + j), c3);
  }
}

__attribute__((target("avx512f"))) void lanes_avx512(const std::uint64_t* uids, std::size_t n,
                                                     std::uint32_t word2, std::uint32_t word3,
                                                     const RoundKeys& rk, Chunk& out) {
  const __m512i mul0 = _mm512_set1_epi32(static_cast<int>(kMul0)),
                mul1 = _mm512_set1_epi32(static_cast<int>(kMul1));
  // Indices that pick the low (resp. high) 32-bit halves of 16 uids held in two vectors.
  const __m512i low_half = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i high_half = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  constexpr __mmask16 odd = 0xAAAA, even = 0x5555;
  std::uint64_t padded[16] = {};
  for (std::size_t j = 0; j < n; j += 16) {
    const std::uint64_t* src = group_of<16>(uids, j, n, padded);
    const __m512i a = _mm512_loadu_si512(src), b = _mm512_loadu_si512(src + 8);
    __m512i c0 = _mm512_permutex2var_epi32(a, low_half, b), c1 = _mm512_permutex2var_epi32(a, high_half, b);
    __m512i c2 = _mm512_set1_epi32(static_cast<int>(word2)), c3 = _mm512_set1_epi32(static_cast<int>(word3));
    for (int r = 0; r < 10; ++r) {
      // Swapping the 32-bit halves of each 64-bit slot (shuffle CDAB) moves odd lanes
      // to even positions and back; the masked shuffle does the move and the blend at once.
      const __m512i e0 = _mm512_mul_epu32(c0, mul0),
                    o0 = _mm512_mul_epu32(_mm512_shuffle_epi32(c0, _MM_PERM_CDAB), mul0);
      const __m512i e1 = _mm512_mul_epu32(c2, mul1),
                    o1 = _mm512_mul_epu32(_mm512_shuffle_epi32(c2, _MM_PERM_CDAB), mul1);
      const __m512i hi0 = _mm512_mask_shuffle_epi32(o0, even, e0, _MM_PERM_CDAB);
      const __m512i lo0 = _mm512_mask_shuffle_epi32(e0, odd, o0, _MM_PERM_CDAB);
      const __m512i hi1 = _mm512_mask_shuffle_epi32(o1, even, e1, _MM_PERM_CDAB);
      const __m512i lo1 = _mm512_mask_shuffle_epi32(e1, odd, o1, _MM_PERM_CDAB);
      // Three-way XOR in one instruction (truth table 0x96 = a ^ b ^ c).
      c0 = _mm512_ternarylogic_epi32(hi1, c1, _mm512_set1_epi32(static_cast<int>(rk.k0[r])), 0x96);
      c1 = lo1;
      c2 = _mm512_ternarylogic_epi32(hi0, c3, _mm512_set1_epi32(static_cast<int>(rk.k1[r])), 0x96);
      c3 = lo0;
    }
    _mm512_storeu_si512(out.word[0] + j, c0);
    _mm512_storeu_si512(out.word[1] + j, c1);
    _mm512_storeu_si512(out.word[2] + j, c2);
    _mm512_storeu_si512(out.word[3] + j, c3);
  }
}

#endif

using Kernel = void (*)(const std::uint64_t*, std::size_t, std::uint32_t, std::uint32_t, const RoundKeys&,
                        Chunk&);

Kernel kernel_for(Kernel_kind kind) {
#if defined(__x86_64__)
  if (kind == Kernel_kind::best) {
    __builtin_cpu_init();
    kind = __builtin_cpu_supports("avx512f") ? Kernel_kind::avx512
           : __builtin_cpu_supports("avx2")  ? Kernel_kind::avx2
                                             : Kernel_kind::scalar;
  }
  if (kind == Kernel_kind::avx512) return lanes_avx512;
  if (kind == Kernel_kind::avx2) return lanes_avx2;
#else
  (void)kind;
#endif
  return lanes_scalar;
}

}  // namespace

bool kernel_available(Kernel_kind kind) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  switch (kind) {
    case Kernel_kind::avx512:
      return __builtin_cpu_supports("avx512f");
    case Kernel_kind::avx2:
      return __builtin_cpu_supports("avx2");
    default:
      return true;
  }
#else
  return kind == Kernel_kind::scalar || kind == Kernel_kind::best;
#endif
}

void draw_chunk(const Stream& stream, int year, Event event, const std::uint64_t* uids, std::size_t n,
                Chunk& out, Kernel_kind kind) {
  static const Kernel best = kernel_for(Kernel_kind::best);
  const Kernel k = kind == Kernel_kind::best ? best : kernel_for(kind);
  k(uids, n, Stream::counter_word(year, event), stream.replication(), RoundKeys(stream.key()), out);
}

namespace {
// Words 4-7 of rows [0, n): integer arithmetic, so every target gives the same words.
// Inlined into each target's function below, and vectorised there.
__attribute__((always_inline)) inline void expand_rows(WideChunk& out, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    const auto more = expand(out.block.word[0][j], out.block.word[1][j], out.block.word[2][j], out.block.word[3][j]);
    out.more[0][j] = more[0], out.more[1][j] = more[1], out.more[2][j] = more[2], out.more[3][j] = more[3];
  }
}
void expand_generic(WideChunk& out, std::size_t n) { expand_rows(out, n); }
#if defined(__x86_64__) && defined(__GNUC__)
// 64-bit lane multiplies (AVX-512 DQ) let the compiler vectorise the finaliser.
__attribute__((target("avx512f,avx512dq"))) void expand_avx512(WideChunk& out, std::size_t n) { expand_rows(out, n); }
#endif
using Expander = void (*)(WideChunk&, std::size_t);
Expander expander_for(Kernel_kind kind) {
#if defined(__x86_64__) && defined(__GNUC__)
  const bool dq = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  if ((kind == Kernel_kind::best || kind == Kernel_kind::avx512) && dq) return expand_avx512;
#else
  (void)kind;
#endif
  return expand_generic;
}
}  // namespace

void draw_wide_chunk(const Stream& stream, int year, Event event, const std::uint64_t* uids, std::size_t n,
                     WideChunk& out, Kernel_kind kind) {
  static const Expander best = expander_for(Kernel_kind::best);
  draw_chunk(stream, year, event, uids, n, out.block, kind);
  (kind == Kernel_kind::best ? best : expander_for(kind))(out, n);
}

}  // namespace careabm::rng
