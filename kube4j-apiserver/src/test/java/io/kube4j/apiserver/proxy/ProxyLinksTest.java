package io.kube4j.apiserver.proxy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream's link rewriting: which links move under the proxy path, and the HTML they are found in. */
class ProxyLinksTest {

    private static final String PREFIX = "/api/v1/namespaces/ns/pods/web/proxy";
    private final ProxyLinks links = new ProxyLinks(PREFIX, "10.0.0.7:8080", "localhost:8001");

    @Test
    void linksOnTheBackendMoveUnderTheProxyPath() {
        assertThat(links.rewrite("/login?next=%2Fa#top")).isEqualTo(PREFIX + "/login?next=%2Fa#top");
        // the backend's own host is not one the client can reach: it goes
        assertThat(links.rewrite("http://10.0.0.7:8080/x/")).isEqualTo(PREFIX + "/x/");
        assertThat(links.rewrite("//10.0.0.7:8080/x")).isEqualTo(PREFIX + "/x");
        // the host the client asked (through kubectl proxy, say) stays
        assertThat(links.rewrite("http://localhost:8001/x")).isEqualTo("http://localhost:8001" + PREFIX + "/x");
        // upstream joins with path.Join: cleaned, the trailing slash kept
        assertThat(links.rewrite("/a/./b/../c//d/")).isEqualTo(PREFIX + "/a/c/d/");
        assertThat(links.rewrite("/")).isEqualTo(PREFIX + "/");
        assertThat(links.rewrite(PREFIX + "/already")).isEqualTo(PREFIX + "/already");
    }

    @Test
    void otherHostsRelativeLinksAndNonsenseStayAsTheyAre() {
        for (String link : new String[] {"http://example.com/x", "https://10.0.0.7:8443/x", "relative/x", "../up",
                "mailto:someone@example.com", "#frag", "?q=1", "/bad path", ""}) {
            assertThat(links.rewrite(link)).as(link).isEqualTo(link);
        }
    }

    @Test
    void htmlWrittenInAnyPiecesComesOutTheSame() throws IOException {
        String page = "<!doctype html><html manifest=/app.cache><head><title>a <a href=\"/t\"></title>"
                + "<base href='/'><style>p{background:url(/x.png)} </STYLE ></head>\n<body background=\"/bg.png\">"
                + "<a class=x href = \"/one\" data-href=\"/not\">1</a><a href=/two>2</a>"
                + "<!-- <img src=\"/commented\"> --><?php echo '<a href=\"/pi\">' ?><p>1 < 2 and <3</p>"
                + "<img src=\"/i.png\"/><video poster='/p.jpg' src=\"/v.mp4\" controls></video>"
                + "<textarea><a href=\"/in-textarea\"></textarea><input type=image src=/go.png formaction=/go>"
                + "<p>\u00e9t\u00e9 \u2014 /plain</p></body></html>";
        String expected = "<!doctype html><html manifest=" + PREFIX + "/app.cache><head><title>a <a href=\"/t\">"
                + "</title><base href='" + PREFIX + "/'><style>p{background:url(/x.png)} </STYLE ></head>\n"
                + "<body background=\"" + PREFIX + "/bg.png\"><a class=x href = \"" + PREFIX + "/one\" "
                + "data-href=\"/not\">1</a><a href=" + PREFIX + "/two>2</a>"
                + "<!-- <img src=\"/commented\"> --><?php echo '<a href=\"/pi\">' ?><p>1 < 2 and <3</p>"
                + "<img src=\"" + PREFIX + "/i.png\"/><video poster='" + PREFIX + "/p.jpg' src=\"" + PREFIX
                + "/v.mp4\" controls></video><textarea><a href=\"/in-textarea\"></textarea>"
                + "<input type=image src=" + PREFIX + "/go.png formaction=" + PREFIX + "/go>"
                + "<p>\u00e9t\u00e9 \u2014 /plain</p></body></html>";
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        assertThat(filtered(bytes, bytes.length)).isEqualTo(expected);
        for (int piece = 1; piece < 12; piece++) {
            assertThat(filtered(bytes, piece)).as("in pieces of %d bytes", piece).isEqualTo(expected);
        }
    }

    @Test
    void anUnfinishedTagAtTheEndIsPassedOnAsItCame() throws IOException {
        byte[] bytes = "<p>x</p><a href=\"/cut".getBytes(StandardCharsets.UTF_8);
        assertThat(filtered(bytes, 3)).isEqualTo("<p>x</p><a href=\"/cut");
    }

    private String filtered(byte[] page, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlLinkFilter filter = new HtmlLinkFilter(out, links::rewrite);
        for (int at = 0; at < page.length; at += piece) {
            filter.write(page, at, Math.min(piece, page.length - at));
        }
        filter.close();
        return out.toString(StandardCharsets.UTF_8);
    }
}
