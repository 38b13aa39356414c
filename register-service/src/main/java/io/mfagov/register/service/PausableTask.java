package io.mfagov.register.service;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A scheduled task that operations (and tests) can pause: {@link #pause()} returns only once a run in
 * progress has finished, so from then on the task does nothing until {@link #resume()}.
 */
public final class PausableTask {

    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean paused;

    /** Runs {@code task} unless paused; a pause waits for it. */
    public void run(Runnable task) {
        if (paused) {
            return;
        }
        running.lock();
        try {
            if (!paused) {
                task.run();
            }
        } finally {
            running.unlock();
        }
    }

    public void pause() {
        paused = true;
        running.lock();
        running.unlock();
    }

    public void resume() {
        paused = false;
    }
}
