package io.mfagov.graphsim.model;

import java.util.List;

/** A tenant's sign-in log, newest first. Generated tenants compute entries on demand instead of holding them. */
public interface SignInLog {
    int size();

    SignIn get(int index);

    static SignInLog of(List<SignIn> newestFirst) {
        List<SignIn> copy = List.copyOf(newestFirst);
        return new SignInLog() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public SignIn get(int index) {
                return copy.get(index);
            }
        };
    }
}
