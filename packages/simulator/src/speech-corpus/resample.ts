/**
 * Band-limited resampling (windowed sinc) for turning the synthesizer's 22.05 kHz into the 8 kHz
 * of a phone line. The rates are in a whole ratio (160:441), so the kernel has only as many
 * phases as output samples in one period: computed once, then every sample is a dot product.
 */
const HALF_WIDTH = 32; // zero crossings each side of the kernel's centre
const CUTOFF = 0.9; // of the lower Nyquist frequency: the telephone band stops short of it anyway

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  const divisor = gcd(fromRate, toRate);
  const [up, down] = [toRate / divisor, fromRate / divisor];
  // Cutoff relative to the input rate, so the kernel stretches when downsampling.
  const fc = (CUTOFF * Math.min(fromRate, toRate)) / (2 * fromRate);
  const reach = Math.ceil(HALF_WIDTH * Math.max(1, down / up));
  const phases = Array.from({ length: up }, (_, phase) => {
    const frac = phase / up;
    return Float32Array.from({ length: 2 * reach + 1 }, (_, tap) => {
      const d = tap - reach - frac;
      const sinc = d === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * d) / (Math.PI * d);
      return Math.abs(d) >= reach ? 0 : sinc * (0.5 + 0.5 * Math.cos((Math.PI * d) / reach));
    });
  });
  const out = new Float32Array(Math.floor((input.length * up) / down));
  for (let n = 0; n < out.length; n++) {
    const center = Math.floor((n * down) / up);
    const kernel = phases[(n * down) % up]!;
    let sum = 0;
    for (let tap = 0; tap < kernel.length; tap++) {
      const k = center - reach + tap;
      if (k >= 0 && k < input.length) sum += input[k]! * kernel[tap]!;
    }
    out[n] = sum;
  }
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
