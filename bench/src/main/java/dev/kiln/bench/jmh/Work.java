package dev.kiln.bench.jmh;

/**
 * What one call of a kernel does, counted from its shape: floating-point operations (a multiply-add is 2) and the
 * compulsory memory traffic in bytes (every input, weight and output touched once, as STREAM counts it: no
 * write-allocate). Their ratio is the kernel's arithmetic intensity, which places it on the roofline.
 */
public record Work(double flops, double bytes) {
    public double intensity() { return flops / bytes; }
}
