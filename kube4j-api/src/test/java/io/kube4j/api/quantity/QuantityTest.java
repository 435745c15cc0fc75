package io.kube4j.api.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class QuantityTest {

    // cases from upstream resource/quantity_test.go (TestQuantityParse and TestQuantityString)
    @ParameterizedTest
    @CsvSource({
            "0,0", "0n,0", "0u,0", "0m,0", "0Ki,0", "0k,0", "0Mi,0", "0M,0", "-0,0", "000,0",
            "1Ki,1Ki", "8Ki,8Ki", "7Mi,7Mi", "6Gi,6Gi", "5Ti,5Ti", "4Pi,4Pi", "3Ei,3Ei", "1024Ki,1Mi", "1536Mi,1536Mi",
            "10Ti,10Ti", "100Pi,100Pi",
            "5n,5n", "4u,4u", "3m,3m", "9,9", "8k,8k", "50k,50k", "7M,7M", "6G,6G", "5T,5T", "40T,40T", "300T,300T",
            "2P,2P", "1E,1E",
            "1E-3,1e-3", "1e3,1e3", "1E6,1e6", "1e9,1e9", "1E12,1e12", "1e15,1e15", "1E18,1e18", "1e14,100e12",
            "1e13,10e12", "100.035k,100035", "0.001,1m", "0.0005k,500m", "0.005,5m", "0.05,50m", "0.5,500m",
            "0.00050k,500m", "0.00500,5m", "0.05000,50m", "0.50000,500m", "0.5e0,500e-3", "0.5e-1,50e-3",
            "0.5e-2,5e-3", "10.035M,10035k", "1.2e3,1200", "1.3E+6,1300e3", "1.40e9,1400e6", "1.53E12,1530e9",
            "1.6e15,1600e12", "1.7E18,1700e15", "9.01,9010m", "8.1k,8100", "7.123456M,7123456", "6.987654321G,6987654321",
            "5.444T,5444G", "40.1T,40100G", "300.2T,300200G", "2.5P,2500T", "1.01E,1010P",
            "3.001n,4n", "1.1E-9,2e-9", "0.0000000001,1n", "0.0000000005,1n", "0.00000000050,1n", "0.5e-9,1e-9",
            "0.9n,1n", "0.00000012345,124n", "0.00000012354,124n", "9Ei,9223372036854775807",
            "9223372036854775807Ki,9223372036854775807", "12E,12E",
            "100.035Ki,102435840m", "0.5Mi,512Ki", "0.05Gi,53687091200m", "0.025Ti,27487790694400m",
            "0.000000000001Ki,2n", ".001,1m", ".0001k,100m", "1.,1", "1.G,1G",
            "1.5,1500m", "1.5Gi,1536Mi", "100m,100m", "500M,500M", "2Gi,2Gi", "1000,1k", "1000m,1", "1200,1200",
            "-1,-1", "-1.5,-1500m", "-1024,-1024", "-1Ki,-1Ki", "+1,1", "1023Ki,1023Ki", "1025,1025", "1000Ki,1000Ki",
            "1e21,1e21", "1000E,1e21", "0.1Ki,102400m", "1.08,1080m"})
    void parsesAndPrintsCanonically(String in, String canonical) {
        assertThat(Quantity.parse(in).toString()).isEqualTo(canonical);
        assertThat(Quantity.parse(canonical)).isEqualTo(Quantity.parse(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.M", "1+1.0M", "aoeu", " 1", "1 ", "1KB", "1.5x", "1e3.5", "0.1am"})
    void rejectsMalformed(String in) {
        assertThatThrownBy(() -> Quantity.parse(in))
                .isInstanceOf(QuantityFormatException.class)
                .hasMessage("quantities must match the regular expression "
                        + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1mi", "-1-", ".5i", "1i", "-3.01i", "-3.01e-", "1e", "1Gii", "1ee3", "1Mii"})
    void rejectsBadSuffix(String in) {
        assertThatThrownBy(() -> Quantity.parse(in))
                .isInstanceOf(QuantityFormatException.class)
                .hasMessage("unable to parse quantity's suffix");
    }

    @Test
    void rejectsEmpty() {
        assertThatThrownBy(() -> Quantity.parse("")).hasMessageStartingWith("quantities must match");
        assertThatThrownBy(() -> Quantity.parse(null)).hasMessageStartingWith("quantities must match");
    }

    @Test
    void valuesRoundUpAwayFromZero() {
        assertThat(Quantity.parse("1.5").value()).isEqualTo(2);
        assertThat(Quantity.parse("1.5").milliValue()).isEqualTo(1500);
        assertThat(Quantity.parse("-1.5").value()).isEqualTo(-2);
        assertThat(Quantity.parse("100m").value()).isEqualTo(1);
        assertThat(Quantity.parse("100m").milliValue()).isEqualTo(100);
        assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
        assertThat(Quantity.parse("2Gi").value()).isEqualTo(2147483648L);
        assertThat(Quantity.parse("1k").scaledValue(3)).isEqualTo(1);
        assertThat(Quantity.parse("1500").scaledValue(3)).isEqualTo(2);
        assertThat(Quantity.parse("1e30").value()).isEqualTo(Long.MAX_VALUE);
        assertThat(Quantity.parse("-1e30").value()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void formats() {
        assertThat(Quantity.parse("1Ki").format()).isEqualTo(Quantity.Format.BINARY_SI);
        assertThat(Quantity.parse("1k").format()).isEqualTo(Quantity.Format.DECIMAL_SI);
        assertThat(Quantity.parse("1e3").format()).isEqualTo(Quantity.Format.DECIMAL_EXPONENT);
        assertThat(Quantity.parse("0.5Ki").format()).isEqualTo(Quantity.Format.BINARY_SI);
        assertThat(Quantity.parse("0.0001Ki").format()).isEqualTo(Quantity.Format.DECIMAL_SI);
    }

    @Test
    void arithmetic() {
        assertThat(Quantity.parse("1").add(Quantity.parse("500m")).toString()).isEqualTo("1500m");
        assertThat(Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString()).isEqualTo("1536Mi");
        assertThat(Quantity.ZERO.add(Quantity.parse("1Ki")).toString()).isEqualTo("1Ki");
        assertThat(Quantity.parse("1").subtract(Quantity.parse("1500m")).toString()).isEqualTo("-500m");
        assertThat(Quantity.parse("2Gi").subtract(Quantity.parse("2Gi")).isZero()).isTrue();
        assertThat(Quantity.parse("1").negate().toString()).isEqualTo("-1");
    }

    @Test
    void comparesByValue() {
        assertThat(Quantity.parse("1Ki")).isEqualTo(Quantity.parse("1024"));
        assertThat(Quantity.parse("1Ki").hashCode()).isEqualTo(Quantity.parse("1024").hashCode());
        assertThat(Quantity.parse("1")).isEqualByComparingTo(Quantity.parse("1000m"));
        assertThat(Quantity.parse("1Gi")).isGreaterThan(Quantity.parse("1G"));
        assertThat(Quantity.parse("100m")).isLessThan(Quantity.parse("0.2"));
        assertThat(Quantity.parse("-1")).isLessThan(Quantity.ZERO);
    }

    @Test
    void constructors() {
        assertThat(Quantity.ofMillis(1500).toString()).isEqualTo("1500m");
        assertThat(Quantity.ofMillis(2000).toString()).isEqualTo("2");
        assertThat(Quantity.of(1048576, Quantity.Format.BINARY_SI).toString()).isEqualTo("1Mi");
        assertThat(Quantity.of(1000000, Quantity.Format.DECIMAL_SI).toString()).isEqualTo("1M");
        assertThat(Quantity.ofScaled(5, 3, Quantity.Format.DECIMAL_SI).toString()).isEqualTo("5k");
        assertThat(Quantity.parse("1.5").toBigDecimal()).isEqualByComparingTo(new BigDecimal("1.5"));
    }

    @Test
    void fromJsonAcceptsStringsAndNumbers() {
        JsonMapper m = JsonMapper.builder().build();
        assertThat(Quantity.fromJson(m.readTree("\"2Gi\"")).toString()).isEqualTo("2Gi");
        assertThat(Quantity.fromJson(m.readTree("1.5")).toString()).isEqualTo("1500m");
        assertThat(Quantity.fromJson(m.readTree("2")).toString()).isEqualTo("2");
        assertThat(Quantity.fromJson(m.readTree("null"))).isNull();
        assertThatThrownBy(() -> Quantity.fromJson(m.readTree("true"))).isInstanceOf(QuantityFormatException.class);
    }
}
