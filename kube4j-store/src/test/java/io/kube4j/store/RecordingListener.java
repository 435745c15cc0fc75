package io.kube4j.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A WatchListener that remembers everything it was told, for tests to await and inspect. */
public final class RecordingListener implements WatchListener {
    private final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    private final List<StoreException> errors = new CopyOnWriteArrayList<>();
    private final List<Long> progress = new CopyOnWriteArrayList<>();
    private volatile boolean eventAfterError;

    @Override
    public void onEvent(WatchEvent event) {
        if (!errors.isEmpty()) {
            eventAfterError = true;
        }
        events.add(event);
    }

    @Override
    public void onError(StoreException error) {
        errors.add(error);
    }

    @Override
    public void onProgress(long revision) {
        progress.add(revision);
    }

    public List<WatchEvent> events() {
        return new ArrayList<>(events);
    }

    public List<Long> revisions() {
        return events.stream().map(WatchEvent::revision).toList();
    }

    public List<StoreException> errors() {
        return new ArrayList<>(errors);
    }

    public List<Long> progress() {
        return new ArrayList<>(progress);
    }

    public boolean sawEventAfterError() {
        return eventAfterError;
    }
}
