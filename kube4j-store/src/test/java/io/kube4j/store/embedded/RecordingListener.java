package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects what a watch delivers, for assertions. */
class RecordingListener implements WatchListener {
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    final List<Long> progress = new CopyOnWriteArrayList<>();
    volatile StoreException error;
    volatile int errors;

    @Override
    public void onEvent(WatchEvent event) {
        events.add(event);
    }

    @Override
    public void onError(StoreException e) {
        error = e;
        errors++;
    }

    @Override
    public void onProgress(long revision) {
        progress.add(revision);
    }

    List<Long> revisions() {
        List<Long> r = new ArrayList<>();
        for (WatchEvent e : events) {
            r.add(e.revision());
        }
        return r;
    }

    List<String> keys() {
        List<String> r = new ArrayList<>();
        for (WatchEvent e : events) {
            r.add(e.kv().key());
        }
        return r;
    }
}
