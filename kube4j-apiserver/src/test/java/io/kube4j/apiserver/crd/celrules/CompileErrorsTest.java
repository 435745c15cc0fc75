package io.kube4j.apiserver.crd.celrules;

import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** cel-java's compile errors, as cel-go (and so upstream) words them. */
class CompileErrorsTest {

    private static final CelCompiler COMPILER = CelEnvironment.compiler(Map.of("m",
            MapType.create(SimpleType.STRING, SimpleType.INT)));

    private static String errors(String expression) {
        return CompileErrors.of(COMPILER.compile(expression));
    }

    @Test
    void aMissingOverloadDoesNotListTheCandidates() {
        assertThat(errors("1 + 'a' == 2 || 'b'.startsWith(1)")).isEqualTo("""
                ERROR: <input>:1:3: found no matching overload for '_+_' applied to '(int, string)'
                 | 1 + 'a' == 2 || 'b'.startsWith(1)
                 | ..^
                ERROR: <input>:1:31: found no matching overload for 'startsWith' applied to 'string.(int)'
                 | 1 + 'a' == 2 || 'b'.startsWith(1)
                 | ..............................^""");
    }

    @Test
    void grammarErrorsAreSyntaxErrors() {
        assertThat(errors("m.a + #")).isEqualTo("""
                ERROR: <input>:1:7: Syntax error: token recognition error at: '#'
                 | m.a + #
                 | ......^
                ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', \
                'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
                 | m.a + #
                 | .......^""");
        assertThat(errors("(1")).startsWith("ERROR: <input>:1:3: Syntax error: missing ')' at '<EOF>'");
        assertThat(errors("1 +* 2")).startsWith("ERROR: <input>:1:4: Syntax error: extraneous input '*' expecting");
        // cel-go rewords a reserved word used as a field
        assertThat(errors("m.true")).startsWith("ERROR: <input>:1:3: Syntax error: mismatched input 'true' "
                + "expecting IDENTIFIER\n");
    }

    @Test
    void otherErrorsAreCelGosAlready() {
        assertThat(errors("m.a.b == nope")).isEqualTo("""
                ERROR: <input>:1:4: type 'int' does not support field selection
                 | m.a.b == nope
                 | ...^
                ERROR: <input>:1:10: undeclared reference to 'nope' (in container '')
                 | m.a.b == nope
                 | .........^""");
    }
}
