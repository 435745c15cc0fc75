package io.kube4j.apiserver.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Sample values and bucket bounds as Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} prints them. */
class PrometheusNumbersTest {

    @ParameterizedTest
    @CsvSource({
            "1, 1", "0, 0", "-1, -1", "60, 60", "0.005, 0.005", "1.25, 1.25", "0.1, 0.1",
            "123456, 123456", "999999, 999999", "1000000, 1e+06", "1234567, 1.234567e+06",
            "52428800, 5.24288e+07", "1764292245.123, 1.764292245123e+09", "0.0001, 0.0001",
            "0.00001234, 1.234e-05", "1e21, 1e+21", "1e100, 1e+100", "-2.5e-7, -2.5e-07",
            "0.30000000000000004, 0.30000000000000004", "5e-324, 5e-324",
            "1.7976931348623157e308, 1.7976931348623157e+308", "2e-3, 0.002", "100.5, 100.5"})
    void formatsAsGoShortestG(double value, String expected) {
        assertThat(PrometheusNumbers.format(value)).isEqualTo(expected);
    }

    @Test
    void specialValuesAndLongs() {
        assertThat(PrometheusNumbers.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusNumbers.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusNumbers.format(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusNumbers.format(-0.0)).isEqualTo("0");
        assertThat(PrometheusNumbers.append(new StringBuilder(), 42L).toString()).isEqualTo("42");
        assertThat(PrometheusNumbers.append(new StringBuilder(), 3_000_000L).toString()).isEqualTo("3e+06");
        assertThat(PrometheusNumbers.append(new StringBuilder(), 1_048_576L).toString()).isEqualTo("1.048576e+06");
    }
}
