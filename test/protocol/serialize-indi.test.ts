/**
 * `serializeIndi` writes what indiserver writes to its clients: double quotes,
 * attributes in libindi's order (the schema's), members indented by four
 * spaces, element text on its own line at column 0, BLOB base64 in lines of 72,
 * self-closing empty elements, and a newline after every message.
 */
import { describe, expect, it } from 'vitest';
import type { IndiMessage } from '../../src/protocol/messages.js';
import { escapeXml, numberText, serializeIndi } from '../../src/protocol/serialize-indi.js';

describe('serializeIndi', () => {
  describe('elements without members', () => {
    it('writes getProperties self-closing, with only the attributes present', () => {
      expect(serializeIndi({ type: 'getProperties' })).toBe('<getProperties/>\n');
      expect(serializeIndi({ type: 'getProperties', version: '1.7' })).toBe(
        '<getProperties version="1.7"/>\n',
      );
      expect(serializeIndi({ name: 'CCD1', device: '*', version: '1.7', type: 'getProperties' })).toBe(
        '<getProperties version="1.7" device="*" name="CCD1"/>\n',
      );
    });

    it('writes message, delProperty and the pings self-closing', () => {
      expect(
        serializeIndi({
          type: 'message',
          message: '[WARNING] Telescope aperture is missing.',
          timestamp: '2026-11-25T17:21:12',
          device: 'CCD Simulator',
        }),
      ).toBe(
        '<message device="CCD Simulator" timestamp="2026-11-25T17:21:12" message="[WARNING] Telescope aperture is missing."/>\n',
      );
      expect(serializeIndi({ type: 'message' })).toBe('<message/>\n');
      expect(serializeIndi({ type: 'delProperty', device: 'CCD Simulator' })).toBe(
        '<delProperty device="CCD Simulator"/>\n',
      );
      expect(
        serializeIndi({
          type: 'delProperty',
          message: 'bye',
          timestamp: 't',
          name: 'CCD1',
          device: 'CCD Simulator',
        }),
      ).toBe('<delProperty device="CCD Simulator" name="CCD1" timestamp="t" message="bye"/>\n');
      expect(serializeIndi({ type: 'pingRequest', uid: 'SetBLOB/1' })).toBe(
        '<pingRequest uid="SetBLOB/1"/>\n',
      );
      expect(serializeIndi({ type: 'pingReply', uid: 'SetBLOB/1' })).toBe('<pingReply uid="SetBLOB/1"/>\n');
    });

    it('writes enableBLOB with its mode as element text on its own line', () => {
      expect(serializeIndi({ type: 'enableBLOB', mode: 'Also', device: 'CCD Simulator' })).toBe(
        '<enableBLOB device="CCD Simulator">\nAlso\n</enableBLOB>\n',
      );
      expect(
        serializeIndi({ type: 'enableBLOB', mode: 'Never', name: 'CCD1', device: 'CCD Simulator' }),
      ).toBe('<enableBLOB device="CCD Simulator" name="CCD1">\nNever\n</enableBLOB>\n');
    });
  });

  describe('definitions', () => {
    it("writes a defNumberVector as indiserver does (attributes in libindi's order, whatever the object's)", () => {
      const message: IndiMessage = {
        members: [
          {
            value: 250,
            step: 1000,
            max: 600000,
            min: 10,
            format: '%.f',
            label: 'Period (ms)',
            name: 'PERIOD_MS',
          },
        ],
        timestamp: '2026-11-25T17:21:19',
        timeout: 0,
        perm: 'rw',
        state: 'Idle',
        group: 'Options',
        label: 'Polling',
        name: 'POLLING_PERIOD',
        device: 'Telescope Simulator',
        type: 'defNumberVector',
      };
      // Verbatim from indiserver 1.9.9 (test/corpus/fixtures/indiserver-telescope.xml).
      expect(serializeIndi(message)).toBe(
        [
          '<defNumberVector device="Telescope Simulator" name="POLLING_PERIOD" label="Polling" group="Options" state="Idle" perm="rw" timeout="0" timestamp="2026-11-25T17:21:19">',
          '    <defNumber name="PERIOD_MS" label="Period (ms)" format="%.f" min="10" max="600000" step="1000">',
          '250',
          '    </defNumber>',
          '</defNumberVector>',
          '',
        ].join('\n'),
      );
    });

    it('writes a defSwitchVector with rule between perm and timeout', () => {
      const message: IndiMessage = {
        type: 'defSwitchVector',
        device: 'Telescope Simulator',
        name: 'CONNECTION',
        label: 'Connection',
        group: 'Main Control',
        state: 'Idle',
        perm: 'rw',
        rule: 'OneOfMany',
        timeout: 60,
        timestamp: '2026-11-25T17:21:19',
        members: [
          { name: 'CONNECT', label: 'Connect', value: 'Off' },
          { name: 'DISCONNECT', label: 'Disconnect', value: 'On' },
        ],
      };
      // Verbatim from indiserver 1.9.9 (test/corpus/fixtures/indiserver-telescope.xml).
      expect(serializeIndi(message)).toBe(
        [
          '<defSwitchVector device="Telescope Simulator" name="CONNECTION" label="Connection" group="Main Control" state="Idle" perm="rw" rule="OneOfMany" timeout="60" timestamp="2026-11-25T17:21:19">',
          '    <defSwitch name="CONNECT" label="Connect">',
          'Off',
          '    </defSwitch>',
          '    <defSwitch name="DISCONNECT" label="Disconnect">',
          'On',
          '    </defSwitch>',
          '</defSwitchVector>',
          '',
        ].join('\n'),
      );
    });

    it('writes a defTextVector without the optional attributes it lacks', () => {
      const message: IndiMessage = {
        type: 'defTextVector',
        device: 'D',
        name: 'T',
        state: 'Ok',
        perm: 'ro',
        members: [
          { name: 'a', value: 'two\nlines' },
          { name: 'b', label: 'B', value: '' },
        ],
      };
      expect(serializeIndi(message)).toBe(
        [
          '<defTextVector device="D" name="T" state="Ok" perm="ro">',
          '    <defText name="a">',
          'two',
          'lines',
          '    </defText>',
          '    <defText name="b" label="B">',
          '',
          '    </defText>',
          '</defTextVector>',
          '',
        ].join('\n'),
      );
    });

    it('writes a defLightVector, which has neither perm nor timeout', () => {
      const message: IndiMessage = {
        type: 'defLightVector',
        device: 'Weather Simulator',
        name: 'WEATHER_STATUS',
        label: 'Status',
        group: 'Main Control',
        state: 'Alert',
        message: 'rain',
        timestamp: '2026-11-25T17:21:19',
        members: [{ name: 'WEATHER_RAIN_HOUR', label: 'Rain', value: 'Alert' }],
      };
      expect(serializeIndi(message)).toBe(
        [
          '<defLightVector device="Weather Simulator" name="WEATHER_STATUS" label="Status" group="Main Control" state="Alert" timestamp="2026-11-25T17:21:19" message="rain">',
          '    <defLight name="WEATHER_RAIN_HOUR" label="Rain">',
          'Alert',
          '    </defLight>',
          '</defLightVector>',
          '',
        ].join('\n'),
      );
    });

    it('writes defBLOB members self-closing', () => {
      const message: IndiMessage = {
        type: 'defBLOBVector',
        device: 'CCD Simulator',
        name: 'CCD1',
        label: 'Image Data',
        group: 'Image Info',
        state: 'Idle',
        perm: 'ro',
        timeout: 60,
        members: [{ name: 'CCD1', label: 'Image' }, { name: 'CCD2' }],
      };
      expect(serializeIndi(message)).toBe(
        [
          '<defBLOBVector device="CCD Simulator" name="CCD1" label="Image Data" group="Image Info" state="Idle" perm="ro" timeout="60">',
          '    <defBLOB name="CCD1" label="Image"/>',
          '    <defBLOB name="CCD2"/>',
          '</defBLOBVector>',
          '',
        ].join('\n'),
      );
    });
  });

  describe('set and new vectors', () => {
    it("writes a setNumberVector's oneNumber with libindi's min, max and step in that order", () => {
      const message: IndiMessage = {
        type: 'setNumberVector',
        message: 'moving',
        timestamp: '2026-11-25T17:21:19',
        timeout: 60,
        state: 'Busy',
        name: 'ABS_FOCUS_POSITION',
        device: 'Focuser Simulator',
        members: [
          { step: 1000, max: 100000, min: 0, name: 'FOCUS_ABSOLUTE_POSITION', value: 50000 },
          { name: 'PLAIN', value: -12.504305555555556 },
        ],
      };
      expect(serializeIndi(message)).toBe(
        [
          '<setNumberVector device="Focuser Simulator" name="ABS_FOCUS_POSITION" state="Busy" timeout="60" timestamp="2026-11-25T17:21:19" message="moving">',
          '    <oneNumber name="FOCUS_ABSOLUTE_POSITION" min="0" max="100000" step="1000">',
          '50000',
          '    </oneNumber>',
          '    <oneNumber name="PLAIN">',
          '-12.504305555555556',
          '    </oneNumber>',
          '</setNumberVector>',
          '',
        ].join('\n'),
      );
    });

    it('writes a vector without members as an open and a close tag', () => {
      expect(serializeIndi({ type: 'setTextVector', device: 'D', name: 'T', members: [] })).toBe(
        '<setTextVector device="D" name="T">\n</setTextVector>\n',
      );
    });

    it('writes setSwitchVector, setLightVector, newTextVector and newSwitchVector members', () => {
      expect(
        serializeIndi({
          type: 'setSwitchVector',
          device: 'D',
          name: 'S',
          state: 'Ok',
          members: [{ name: 'ON', value: 'On' }],
        }),
      ).toBe(
        '<setSwitchVector device="D" name="S" state="Ok">\n    <oneSwitch name="ON">\nOn\n    </oneSwitch>\n</setSwitchVector>\n',
      );
      expect(
        serializeIndi({
          type: 'setLightVector',
          device: 'D',
          name: 'L',
          members: [{ name: 'RAIN', value: 'Busy' }],
        }),
      ).toBe(
        '<setLightVector device="D" name="L">\n    <oneLight name="RAIN">\nBusy\n    </oneLight>\n</setLightVector>\n',
      );
      expect(
        serializeIndi({
          type: 'newTextVector',
          timestamp: '2026-11-25T17:21:19',
          device: 'D',
          name: 'T',
          members: [{ name: 'a', value: 'x' }],
        }),
      ).toBe(
        '<newTextVector device="D" name="T" timestamp="2026-11-25T17:21:19">\n    <oneText name="a">\nx\n    </oneText>\n</newTextVector>\n',
      );
      expect(
        serializeIndi({
          type: 'newSwitchVector',
          device: 'D',
          name: 'S',
          members: [{ name: 'OFF', value: 'Off' }],
        }),
      ).toBe(
        '<newSwitchVector device="D" name="S">\n    <oneSwitch name="OFF">\nOff\n    </oneSwitch>\n</newSwitchVector>\n',
      );
    });

    it('writes BLOB base64 in lines of 72 characters, at column 0', () => {
      const payload = Buffer.from(Array.from({ length: 110 }, (_, i) => i)).toString('base64');
      expect(payload.length).toBe(148);
      const message: IndiMessage = {
        type: 'setBLOBVector',
        device: 'CCD Simulator',
        name: 'CCD1',
        state: 'Ok',
        timeout: 60,
        timestamp: '2026-11-25T17:21:12',
        members: [{ format: '.fits', enclen: 148, size: 110, name: 'CCD1', value: payload }],
      };
      expect(serializeIndi(message)).toBe(
        [
          '<setBLOBVector device="CCD Simulator" name="CCD1" state="Ok" timeout="60" timestamp="2026-11-25T17:21:12">',
          '    <oneBLOB name="CCD1" size="110" enclen="148" format=".fits">',
          payload.slice(0, 72),
          payload.slice(72, 144),
          payload.slice(144),
          '    </oneBLOB>',
          '</setBLOBVector>',
          '',
        ].join('\n'),
      );
    });

    it('writes exactly 72 or 144 base64 characters without an empty last line', () => {
      const line = 'A'.repeat(72);
      const blob = (value: string): string =>
        serializeIndi({
          type: 'newBLOBVector',
          device: 'D',
          name: 'B',
          members: [{ name: 'b', size: 0, format: '.b', value }],
        });
      expect(blob(line)).toBe(
        `<newBLOBVector device="D" name="B">\n    <oneBLOB name="b" size="0" format=".b">\n${line}\n    </oneBLOB>\n</newBLOBVector>\n`,
      );
      expect(blob(line + line)).toBe(
        `<newBLOBVector device="D" name="B">\n    <oneBLOB name="b" size="0" format=".b">\n${line}\n${line}\n    </oneBLOB>\n</newBLOBVector>\n`,
      );
    });

    it("writes libindi's attached and len after format, and an empty payload as an empty line", () => {
      const message: IndiMessage = {
        type: 'setBLOBVector',
        device: 'CCD Simulator',
        name: 'CCD1',
        members: [
          { len: 46080, attached: true, format: '.fits', size: 46080, name: 'CCD1', value: '' },
          { name: 'CCD2', size: 0, format: '.fits', attached: false, value: '' },
        ],
      };
      expect(serializeIndi(message)).toBe(
        [
          '<setBLOBVector device="CCD Simulator" name="CCD1">',
          '    <oneBLOB name="CCD1" size="46080" format=".fits" attached="true" len="46080">',
          '',
          '    </oneBLOB>',
          '    <oneBLOB name="CCD2" size="0" format=".fits" attached="false">',
          '',
          '    </oneBLOB>',
          '</setBLOBVector>',
          '',
        ].join('\n'),
      );
    });
  });

  describe('escaping', () => {
    it('escapes & < > " and \' in attribute values', () => {
      expect(serializeIndi({ type: 'message', device: `Tom's "scope"`, message: '<1m> & co' })).toBe(
        '<message device="Tom&apos;s &quot;scope&quot;" message="&lt;1m&gt; &amp; co"/>\n',
      );
    });

    it('escapes & < > " and \' in element text', () => {
      const message: IndiMessage = {
        type: 'setTextVector',
        device: 'D',
        name: 'T',
        members: [{ name: 'a&b', value: `if (a < b && c > d) say("it's")` }],
      };
      expect(serializeIndi(message)).toBe(
        '<setTextVector device="D" name="T">\n    <oneText name="a&amp;b">\nif (a &lt; b &amp;&amp; c &gt; d) say(&quot;it&apos;s&quot;)\n    </oneText>\n</setTextVector>\n',
      );
    });

    it('leaves entity-like text, non-ASCII and astral-plane characters as they are, apart from the &', () => {
      expect(escapeXml('&amp; &#65; caf\u00e9 \u{1f52d}')).toBe('&amp;amp; &amp;#65; caf\u00e9 \u{1f52d}');
    });

    it('escapes every special character, not only the first', () => {
      expect(escapeXml(`<<>>&&""''`)).toBe('&lt;&lt;&gt;&gt;&amp;&amp;&quot;&quot;&apos;&apos;');
    });
  });

  describe('numbers', () => {
    it('writes the shortest text that reads back as the same double', () => {
      expect(numberText(0.1)).toBe('0.1');
      expect(numberText(-1.5)).toBe('-1.5');
      expect(numberText(1e21)).toBe('1e+21');
      expect(numberText(1e-7)).toBe('1e-7');
      expect(numberText(5e-324)).toBe('5e-324');
      expect(numberText(Number.MAX_VALUE)).toBe('1.7976931348623157e+308');
    });

    it('writes -0 as 0 (so -0 does not round-trip)', () => {
      expect(numberText(-0)).toBe('0');
    });

    it('writes NaN and the infinities as C prints them', () => {
      expect(numberText(Number.NaN)).toBe('nan');
      expect(numberText(Number.POSITIVE_INFINITY)).toBe('inf');
      expect(numberText(Number.NEGATIVE_INFINITY)).toBe('-inf');
    });

    it('writes numbers the same way in attributes and in text', () => {
      expect(
        serializeIndi({
          type: 'newNumberVector',
          device: 'D',
          name: 'N',
          members: [{ name: 'a', min: Number.NEGATIVE_INFINITY, max: 1e21, step: 0.1, value: Number.NaN }],
        }),
      ).toBe(
        '<newNumberVector device="D" name="N">\n    <oneNumber name="a" min="-inf" max="1e+21" step="0.1">\nnan\n    </oneNumber>\n</newNumberVector>\n',
      );
    });
  });
});
