package io.kube4j.apiserver.endpoints;

import io.kube4j.api.printers.TablePrinter;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.ListPage;
import io.kube4j.apiserver.registry.StoredListPage;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a list as a meta.k8s.io Table (what kubectl get asks for) in pieces, row after row, the way
 * {@link ListResponses} writes lists: byte for byte what encoding {@link Tables#table} gives, without holding the
 * whole table as one tree and one array. From stored values, a row's object - the PartialObjectMetadata kubectl
 * keeps by default, or the whole object - is copied from the stored bytes with the resourceVersion inserted, so an
 * object is read only by the printer for its cells (and the list hands over the watch cache's decoded objects
 * where it can, so most rows need no decoding at all).
 */
final class TableResponses {

    private static final byte[] OBJECT = ",\"object\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = {'}'};
    private static final byte[] CLOSE_THREE = {'}', '}', '}'};

    private TableResponses() {
    }

    /**
     * A Table of stored values whose items carry their objects ({@code listStored} with objects). Every row's cells
     * are computed before the response starts, so a failing object is answered with a Status, not a cut table.
     */
    static void writeStored(ResponseSink sink, TablePrinter printer, StoredListPage page, String includeObject,
                            String apiVersion) {
        List<StoredListPage.Item> items = page.items();
        boolean whole = Tables.includesObject(includeObject);
        boolean metadata = Tables.includesMetadata(includeObject);
        Instant now = Instant.now();
        // per row: its cells as an open object ({"cells":[..] without the closing brace) when the object part is
        // copied from the stored bytes, else the whole row encoded from the tree
        byte[][] rows = new byte[items.size()][];
        boolean[] spliced = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            StoredListPage.Item item = items.get(i);
            spliced[i] = item.resourceVersionSlot() >= 0 && (whole || metadata && item.metadataStart() >= 0);
            if (spliced[i]) {
                byte[] cells = Json.bytes(Tables.cells(printer, item.object(), now));
                rows[i] = Arrays.copyOf(cells, cells.length - 1);
            } else {
                rows[i] = Json.bytes(Tables.row(printer, item.object(), includeObject, now, apiVersion));
            }
        }
        byte[] head = head(printer, page.revision(), page.continueToken(), page.remainingItemCount(), apiVersion);
        byte[] partialHead = PartialObjectMetadata.head(apiVersion);
        ListResponses.write(sink, head, items.size(), (body, i) -> {
            body.write(rows[i]);
            if (!spliced[i]) {
                return;
            }
            StoredListPage.Item item = items.get(i);
            byte[] value = item.kv().value();
            int slot = item.resourceVersionSlot();
            if (whole) {
                body.write(OBJECT);
                body.write(value, 0, slot);
                ListResponses.writeResourceVersion(body, item);
                body.write(value, slot, value.length - slot);
                body.write(CLOSE);
            } else {
                body.write(OBJECT);
                body.write(partialHead);
                body.write(value, item.metadataStart(), slot - item.metadataStart());
                ListResponses.writeResourceVersion(body, item);
                // the metadata, the PartialObjectMetadata, the row
                body.write(CLOSE_THREE);
            }
        });
    }

    /** A Table of decoded objects, one row encoded after the other. */
    static void writeDecoded(ResponseSink sink, TablePrinter printer, ListPage page, String includeObject,
                             String apiVersion) {
        List<ObjectNode> items = page.items();
        Instant now = Instant.now();
        byte[][] rows = new byte[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            rows[i] = Json.bytes(Tables.row(printer, items.get(i), includeObject, now, apiVersion));
        }
        byte[] head = head(printer, page.revision(), page.continueToken(), page.remainingItemCount(), apiVersion);
        ListResponses.write(sink, head, items.size(), (body, i) -> body.write(rows[i]));
    }

    private static byte[] head(TablePrinter printer, long revision, String continueToken, long remaining,
                               String apiVersion) {
        return ListResponses.openArray(Tables.head(printer, true, Long.toString(revision), continueToken, remaining,
                apiVersion));
    }
}
