package dev.kiln.interpreter.kernels;

/**
 * The uniform numbers that decide which elements a training-mode Dropout keeps. With a {@code seed} attribute they
 * are the 32-bit Mersenne Twister (MT19937) seeded as NumPy's legacy {@code np.random.seed(seed)} seeds it, read
 * as 53-bit doubles in [0, 1) as {@code np.random.uniform} reads them, so a seeded Dropout reproduces ONNX's
 * reference outputs.
 */
final class ElementwiseDropoutRandom {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] state = new int[N];
    private int index;

    ElementwiseDropoutRandom(long seed) {
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** The next double in [0, 1), from two 32-bit outputs (27 and 26 of their high bits). */
    double nextDouble() {
        long a = Integer.toUnsignedLong(nextInt()) >>> 5;
        long b = Integer.toUnsignedLong(nextInt()) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    private int nextInt() {
        if (index >= N) twist();
        int y = state[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (state[i] & 0x80000000) | (state[(i + 1) % N] & 0x7fffffff);
            int next = state[(i + M) % N] ^ (y >>> 1);
            state[i] = (y & 1) != 0 ? next ^ 0x9908b0df : next;
        }
        index = 0;
    }
}
