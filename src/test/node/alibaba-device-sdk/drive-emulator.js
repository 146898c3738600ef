'use strict';
// Drives the emulator with Alibaba's Node.js device SDK, as a device would: a signed login, a valid and an invalid
// property post, an event post and an NTP request. Prints one JSON line of what came back and exits 0, or exits 1
// after at most TIMEOUT_MS. Run by AlibabaNodeSdkTests; the device secret comes in the environment, never printed.
const iot = require('alibabacloud-iot-device-sdk');

const { EMULATOR_URL, PRODUCT_KEY, DEVICE_NAME, DEVICE_SECRET } = process.env;
const TIMEOUT_MS = 15000;
const results = {};

const device = iot.device({
  productKey: PRODUCT_KEY,
  deviceName: DEVICE_NAME,
  deviceSecret: DEVICE_SECRET,
  brokerUrl: EMULATOR_URL,
  keepalive: 60,
  clean: true,
});

const timeout = setTimeout(() => finish(1), TIMEOUT_MS);

function finish(exitCode) {
  clearTimeout(timeout);
  console.log(JSON.stringify(results));
  device.end(true, () => process.exit(exitCode));
}

function finishWhenAllAnswered() {
  if (['validProps', 'invalidProps', 'event', 'ntp'].every((key) => key in results)) {
    finish(0);
  }
}

function record(name) {
  return (reply) => {
    results[name] = { code: reply.code, message: reply.message };
    finishWhenAllAnswered();
  };
}

device.on('error', (error) => {
  results.error = String(error && error.message ? error.message : error);
  finish(1);
});

device.on('connect', () => {
  results.connected = true;
  const ntpRequest = `/ext/ntp/${PRODUCT_KEY}/${DEVICE_NAME}/request`;
  const ntpResponse = `/ext/ntp/${PRODUCT_KEY}/${DEVICE_NAME}/response`;
  // JavaScript writes 95.0 as 95, which a float property refuses: the values carry a fraction
  device.postProps({ temperature: 23.5, humidity: 55, power: 1, mode: 2, label: 'kitchen' }, record('validProps'));
  device.postProps({ temperature: 500.5 }, record('invalidProps'));
  device.postEvent('overheat', { value: { temperature: 95.5 }, time: Date.now() }, record('event'));
  device.on('message', (topic, payload) => {
    if (topic === ntpResponse) {
      const response = JSON.parse(payload.toString());
      results.ntp = { deviceSendTime: response.deviceSendTime, serverRecvTime: response.serverRecvTime,
        serverSendTime: response.serverSendTime };
      finishWhenAllAnswered();
    }
  });
  device.subscribe(ntpResponse, { qos: 0 }, () => {
    device.publish(ntpRequest, JSON.stringify({ deviceSendTime: String(Date.now()) }), { qos: 0 });
  });
});
