package io.lvs4j.okhttp;

import java.io.IOException;

/** Carries an attempt's failure through Resilience4j's Retry when the call may be sent again. */
final class RetryableFailure extends Exception {
    final IOException failure;

    RetryableFailure(IOException failure) {
        super(null, failure, false, false);
        this.failure = failure;
    }
}
