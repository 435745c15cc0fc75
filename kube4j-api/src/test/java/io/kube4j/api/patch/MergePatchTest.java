package io.kube4j.api.patch;

import static io.kube4j.api.patch.Json.j;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MergePatchTest {

    // RFC 7386 appendix A
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'a':'b'}|{'a':'c'}|{'a':'c'}",
            "{'a':'b'}|{'b':'c'}|{'a':'b','b':'c'}",
            "{'a':'b'}|{'a':null}|{}",
            "{'a':'b','b':'c'}|{'a':null}|{'b':'c'}",
            "{'a':['b']}|{'a':'c'}|{'a':'c'}",
            "{'a':'c'}|{'a':['b']}|{'a':['b']}",
            "{'a':{'b':'c'}}|{'a':{'b':'d','c':null}}|{'a':{'b':'d'}}",
            "{'a':[{'b':'c'}]}|{'a':[1]}|{'a':[1]}",
            "['a','b']|['c','d']|['c','d']",
            "{'a':'b'}|['c']|['c']",
            "{'e':null}|{'a':1}|{'e':null,'a':1}",
            "[1,2]|{'a':'b','c':null}|{'a':'b'}",
            "{}|{'a':{'bb':{'ccc':null}}}|{'a':{'bb':{}}}"})
    void rfc7386Examples(String target, String patch, String result) {
        assertThat(MergePatch.apply(j(target), j(patch))).isEqualTo(j(result));
    }

    @Test
    void nullPatchIsMalformed() {
        assertThatThrownBy(() -> MergePatch.apply(j("{}"), j("null")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void doesNotModifyInputs() {
        var target = j("{'a':{'b':1}}");
        MergePatch.apply(target, j("{'a':{'b':2}}"));
        assertThat(target).isEqualTo(j("{'a':{'b':1}}"));
    }

    @Test
    void createsTwoWayPatch() {
        var original = j("{'a':1,'b':{'c':2,'d':3},'e':[1,2],'f':'x','n':1}");
        var modified = j("{'a':1,'b':{'c':2,'d':4},'e':[1],'g':true,'n':1.0}");
        var patch = MergePatch.create(original, modified);
        assertThat(patch).isEqualTo(j("{'b':{'d':4},'e':[1],'f':null,'g':true}"));
        assertThat(MergePatch.apply(original, patch)).isEqualTo(j("{'a':1,'b':{'c':2,'d':4},'e':[1],'n':1,'g':true}"));
        assertThat(MergePatch.create(original, original)).isEmpty();
    }
}
