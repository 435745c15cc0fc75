package io.kube4j.bench.store;

/** One backend's figures; a missing figure is NaN. */
record BenchResult(String backend, double createsPerSecond1, double createsPerSecond50, double createsPerSecond64,
                   double createP50Millis1, double createP99Millis1, double createP50Millis50,
                   double createP99Millis50, double createP99Millis64, double watchP50Millis, double watchP99Millis,
                   int watchSamples, String note) {

    static BenchResult unavailable(String backend, String why) {
        return new BenchResult(backend, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, why);
    }
}
