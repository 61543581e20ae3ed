package dev.kiln.bench.jmh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Which vector instructions an integer GEMM micro-kernel gets from the J            IntVector a0 = IntVector.broadcast(I, a[p + 0 * K]);
            c00 = c00.add(a0.mul(b0));
            c01 = c01.add(a0.mul(b1));
            IntVector a1 = IntVector.broadcast(I, a[p + 1 * K]);
            c10 = c10.add(a1.mul(b0));
            c11 = c11.add(a1.mul(b1));
            IntVector a2 = IntVector.broadcast(I, a[p + 2 * K]);
            c20 = c20.add(a2.mul(b0));
            c21 = c21.add(a2.mul(b1));
            IntVector a3 = IntVector.broadcast(I, a[p + 3 * K]);
            c30 = c30.add(a3.mul(b0));
            c31 = c31.add(a3.mul(b1));
            IntVector a4 = IntVector.broadcast(I, a[p + 4 * K]);
            c40 = c40.add(a4.mul(b0));
            c41 = c41.add(a4.mul(b1));
            IntVector a5 = IntVector.broadcast(I, a[p + 5 * K]);
            c50 = c50.add(a5.mul(b0));
            c51 = c51.add(a5.mul(b1));, against the float FMA kernel: the same
 * 6-row register tile over {@link #K} steps with its operands in L1, 512-bit vectors, {@code 6·32·K} multiply-adds
 * per call in each. {@link #floatFma}: the float GEMM's kernel shape (12 FMA accumulators). {@link #int32Lanes}:
 * operands widened to int32, {@code mul} + {@code add} (the kernel of {@code qgemm}). {@link #int16Lanes}: unsigned
 * 8-bit operands multiplied in 16-bit lanes (exact below 2^16), the int32 view of each product pair accumulated
 * whole and its high halves ({@code >>> 16}) apart, from which both columns' sums follow. The Vector API has no
 * widening multiply-add, so none of them reaches {@code vpmaddwd} / {@code vpdpwssd}; see docs/quantization.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class IntegerProductProbe {
    static final int K = 256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    float[] floatA;
    float[] floatB;
    int[] intA;
    int[] intB;
    short[] shortA;
    short[] shortB;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        floatA = new float[6 * K];
        intA = new int[6 * K];
        shortA = new short[6 * K];
        floatB = new float[32 * K];
        intB = new int[32 * K];
        shortB = new short[32 * K];
        for (int i = 0; i < 6 * K; i++) {
            intA[i] = r.nextInt(256);
            floatA[i] = intA[i];
            shortA[i] = (short) intA[i];
        }
        for (int i = 0; i < 32 * K; i++) {
            intB[i] = r.nextInt(256);
            floatB[i] = intB[i];
            shortB[i] = (short) intB[i];
        }
    }

    @Benchmark
    public float floatFma() {
        float[] a = floatA, b = floatB;
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < K; p++) {
            FloatVector b0 = FloatVector.fromArray(F, b, p * 32), b1 = FloatVector.fromArray(F, b, p * 32 + 16);
            FloatVector a0 = FloatVector.broadcast(F, a[p + 0 * K]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, a[p + 1 * K]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, a[p + 2 * K]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, a[p + 3 * K]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, a[p + 4 * K]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, a[p + 5 * K]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        return c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50).add(c51).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public int int32Lanes() {
        int[] a = intA, b = intB;
        IntVector z = IntVector.zero(I);
        IntVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < K; p++) {
            IntVector b0 = IntVector.fromArray(I, b, p * 32), b1 = IntVector.fromArray(I, b, p * 32 + 16);
            IntVector a0 = IntVector.broadcast(I, a[p + 0 * K]);
            c00 = c00.add(a0.mul(b0));
            c01 = c01.add(a0.mul(b1));
            IntVector a1 = IntVector.broadcast(I, a[p + 1 * K]);
            c10 = c10.add(a1.mul(b0));
            c11 = c11.add(a1.mul(b1));
            IntVector a2 = IntVector.broadcast(I, a[p + 2 * K]);
            c20 = c20.add(a2.mul(b0));
            c21 = c21.add(a2.mul(b1));
            IntVector a3 = IntVector.broadcast(I, a[p + 3 * K]);
            c30 = c30.add(a3.mul(b0));
            c31 = c31.add(a3.mul(b1));
            IntVector a4 = IntVector.broadcast(I, a[p + 4 * K]);
            c40 = c40.add(a4.mul(b0));
            c41 = c41.add(a4.mul(b1));
            IntVector a5 = IntVector.broadcast(I, a[p + 5 * K]);
            c50 = c50.add(a5.mul(b0));
            c51 = c51.add(a5.mul(b1));
        }
        return c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50).add(c51).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public int int16Lanes() {
        short[] a = shortA, b = shortB;
        IntVector z = IntVector.zero(I);
        IntVector x0 = z, h0 = z, x1 = z, h1 = z, x2 = z, h2 = z, x3 = z, h3 = z, x4 = z, h4 = z, x5 = z, h5 = z;
        for (int p = 0; p < K; p++) {
            ShortVector b0 = ShortVector.fromArray(S, b, p * 32);
            IntVector y0 = ShortVector.broadcast(S, a[p + 0 * K]).mul(b0).reinterpretAsInts();
            x0 = x0.add(y0);
            h0 = h0.add(y0.lanewise(VectorOperators.LSHR, 16));
            IntVector y1 = ShortVector.broadcast(S, a[p + 1 * K]).mul(b0).reinterpretAsInts();
            x1 = x1.add(y1);
            h1 = h1.add(y1.lanewise(VectorOperators.LSHR, 16));
            IntVector y2 = ShortVector.broadcast(S, a[p + 2 * K]).mul(b0).reinterpretAsInts();
            x2 = x2.add(y2);
            h2 = h2.add(y2.lanewise(VectorOperators.LSHR, 16));
            IntVector y3 = ShortVector.broadcast(S, a[p + 3 * K]).mul(b0).reinterpretAsInts();
            x3 = x3.add(y3);
            h3 = h3.add(y3.lanewise(VectorOperators.LSHR, 16));
            IntVector y4 = ShortVector.broadcast(S, a[p + 4 * K]).mul(b0).reinterpretAsInts();
            x4 = x4.add(y4);
            h4 = h4.add(y4.lanewise(VectorOperators.LSHR, 16));
            IntVector y5 = ShortVector.broadcast(S, a[p + 5 * K]).mul(b0).reinterpretAsInts();
            x5 = x5.add(y5);
            h5 = h5.add(y5.lanewise(VectorOperators.LSHR, 16));
        }
        return x0.add(h0).add(x1).add(h1).add(x2).add(h2).add(x3).add(h3).add(x4).add(h4).add(x5).add(h5).reduceLanes(VectorOperators.ADD);
    }
}
