package io.kube4j.store.embedded;

import java.util.Comparator;

/**
 * Orders keys as etcd does, by their UTF-8 bytes, which is code point order. Java's String order is UTF-16
 * order and differs for characters above U+FFFF (surrogate pairs) versus U+E000..U+FFFF; remapping the
 * chars from U+D800 up fixes that without decoding.
 */
final class KeyOrder implements Comparator<String> {
    static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    }

    private static int codePointRank(char c) {
        if (c < 0xD800) {
            return c;
        }
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}
