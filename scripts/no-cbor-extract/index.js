throw new Error('cbor-extract is not installed in kumo builds; cbor-x uses its JavaScript decoder');
