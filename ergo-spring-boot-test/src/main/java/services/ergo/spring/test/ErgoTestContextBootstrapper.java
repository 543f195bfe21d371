package services.ergo.spring.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Reads {@link ErgoTest#properties()} into the test's environment, as Boot's slices do. */
class ErgoTestContextBootstrapper extends TestSliceTestContextBootstrapper<ErgoTest> {}
