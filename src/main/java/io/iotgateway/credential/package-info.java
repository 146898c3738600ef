/**
 * Device triples and Alibaba Cloud IoT Platform connection signing, in plain Java.
 */
@NullMarked
package io.iotgateway.credential;

import org.jspecify.annotations.NullMarked;
