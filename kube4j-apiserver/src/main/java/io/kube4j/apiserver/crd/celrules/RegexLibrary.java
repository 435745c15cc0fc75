package io.kube4j.apiserver.crd.celrules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;

import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' CEL regex library: {@code s.find(re)} (the first match, or "") and {@code s.findAll(re)},
 * {@code s.findAll(re, n)} (at most n matches; a negative n means all), with RE2 semantics as CEL's
 * {@code matches}.
 */
final class RegexLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        checker.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("find", CelOverloadDecl.newMemberOverload("string_find_string",
                        SimpleType.STRING, SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("findAll",
                        CelOverloadDecl.newMemberOverload("string_find_all_string", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("string_find_all_string_int",
                                ListType.create(SimpleType.STRING), SimpleType.STRING, SimpleType.STRING,
                                SimpleType.INT)));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        runtime.addFunctionBindings(
                CelFunctionBinding.from("string_find_string", String.class, String.class, (s, re) -> {
                    Matcher m = compile(re).matcher(s);
                    return m.find() ? m.group() : "";
                }),
                CelFunctionBinding.from("string_find_all_string", String.class, String.class,
                        (s, re) -> findAll(s, re, -1)),
                CelFunctionBinding.from("string_find_all_string_int", List.of(String.class, String.class, Long.class),
                        args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
    }

    private static List<String> findAll(String s, String re, long limit) throws CelEvaluationException {
        List<String> matches = new ArrayList<>();
        Matcher m = compile(re).matcher(s);
        while ((limit < 0 || matches.size() < limit) && m.find()) {
            matches.add(m.group());
        }
        return matches;
    }

    private static Pattern compile(String re) throws CelEvaluationException {
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new CelEvaluationException("error parsing regexp: " + e.getMessage());
        }
    }
}
