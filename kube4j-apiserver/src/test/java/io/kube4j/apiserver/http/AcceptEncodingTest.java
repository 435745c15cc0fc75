package io.kube4j.apiserver.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Accept-Encoding} read as RFC 9110 section 12.5.3 says, for the one coding the server offers: gzip. */
class AcceptEncodingTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // absent or empty: only identity (the server compresses on request only)
            "NULL|false",
            "''|false",
            // plain, in a list, with whitespace, any case, x-gzip
            "gzip|true",
            "deflate, gzip|true",
            "  gzip  |true",
            "br,gzip;q=1.0|true",
            "GZIP|true",
            "GZip ; Q=0.5|true",
            "x-gzip|true",
            "deflate , , gzip|true",
            // weights: 0 is not acceptable, the smallest non-zero is
            "gzip;q=0|false",
            "gzip;q=0.000|false",
            "gzip;q=0.001|true",
            "gzip ; q = 0.5|true",
            "gzip;q=1|true",
            // a token that merely contains the name is another coding
            "gzipx|false",
            "x-gzip2|false",
            "deflate, br|false",
            "identity|false",
            // * stands for every coding not named; a named gzip wins either way
            "*|true",
            "*;q=0.1|true",
            "*;q=0|false",
            "*, gzip;q=0|false",
            "gzip;q=0, *|false",
            "*;q=0, gzip|true",
            "identity;q=1, *;q=0|false",
            // malformed weights weigh 0 (QValue): gzip is named, so * does not stand for it either
            "gzip;q=2|false",
            "gzip;q=1.5|false",
            "gzip;q=0.5555|false",
            "gzip;q=abc|false",
            "gzip;q=|false",
            "gzip;q=2, *|false",
            // unknown parameters, and parameters without a value, are ignored (as goautoneg does)
            "gzip;level=9|true",
            "gzip;junk|true",
    })
    void gzipIsAcceptedAsTheRfcSays(String header, boolean accepted) {
        assertThat(AcceptEncoding.acceptsGzip(header)).isEqualTo(accepted);
    }
}
