package io.kube4j.apiserver.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The weight of an Accept or Accept-Encoding element: RFC 9110's qvalue (0 to 1, at most three decimals), anything
 * else weighing 0 as goautoneg reads a q it cannot parse.
 */
class QValueTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // no weight: 1
            "application/json|1",
            "gzip|1",
            "gzip;level=9|1",
            "gzip;junk|1",
            // qvalues
            "gzip;q=0|0",
            "gzip;q=0.|0",
            "gzip;q=0.000|0",
            "gzip;q=0.001|0.001",
            "gzip;q=0.5|0.5",
            "gzip;q=0.75|0.75",
            "gzip;q=1|1",
            "gzip;q=1.|1",
            "gzip;q=1.000|1",
            "application/json;q=0.9|0.9",
            "application/json; charset=utf-8 ; Q = 0.25|0.25",
            // the last q counts
            "gzip;q=0.2;q=0.3|0.3",
            // not qvalues: 0
            "gzip;q=abc|0",
            "gzip;q=|0",
            "gzip;q=2|0",
            "gzip;q=1.5|0",
            "gzip;q=1.001|0",
            "gzip;q=0.5555|0",
            "gzip;q=-0.5|0",
            "gzip;q=.5|0",
            "gzip;q=00.5|0",
            "gzip;q=0,5|0",
            "gzip;q=1e0|0",
            "gzip;q=NaN|0",
    })
    void weighsAnElement(String element, double weight) {
        assertThat(QValue.ofElement(element)).isEqualTo(weight);
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {"NULL|1", "''|1", "' '|1", "q=0.5|0.5"})
    void weighsParameters(String parameters, double weight) {
        assertThat(QValue.of(parameters)).isEqualTo(weight);
    }
}
