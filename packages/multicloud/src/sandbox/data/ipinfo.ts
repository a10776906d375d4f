/**
 * What the fake ipinfo answers for the sandbox's addresses, in the three response shapes: the
 * free plan's `org` string, the paid plans' `asn` object (198.51.100.22) and the lite API's
 * `asn`/`as_name` (203.0.113.42). 192.0.2.32 has only a reverse DNS name to go by.
 */

// biome-ignore lint/suspicious/noExplicitAny: wire-shaped data, read by the fake as JSON
type Json = any;

export const IPINFO_ANSWERS: Record<string, Json> = {
  '203.0.113.10': {
    ip: '203.0.113.10',
    hostname: 'ec2-203-0-113-10.compute-1.amazonaws.com',
    city: 'Ashburn',
    region: 'Virginia',
    country: 'US',
    loc: '39.0437,-77.4875',
    org: 'AS14618 Amazon.com, Inc.',
    postal: '20147',
    timezone: 'America/New_York',
  },
  '203.0.113.12': {
    ip: '203.0.113.12',
    hostname: 'ec2-203-0-113-12.compute-1.amazonaws.com',
    city: 'Ashburn',
    region: 'Virginia',
    country: 'US',
    loc: '39.0437,-77.4875',
    org: 'AS16509 Amazon.com, Inc.',
    postal: '20147',
    timezone: 'America/New_York',
  },
  '198.51.100.20': {
    ip: '198.51.100.20',
    city: 'North Bergen',
    region: 'New Jersey',
    country: 'US',
    loc: '40.8043,-74.0121',
    org: 'AS14061 DigitalOcean, LLC',
    postal: '07047',
    timezone: 'America/New_York',
  },
  '192.0.2.30': {
    ip: '192.0.2.30',
    hostname: '192.0.2.30.vultrusercontent.com',
    city: 'Piscataway',
    region: 'New Jersey',
    country: 'US',
    loc: '40.4993,-74.3990',
    org: 'AS20473 The Constant Company, LLC',
    postal: '08854',
    timezone: 'America/New_York',
  },
  '192.0.2.31': {
    ip: '192.0.2.31',
    city: 'Amsterdam',
    region: 'North Holland',
    country: 'NL',
    loc: '52.3740,4.8897',
    org: 'AS20473 The Constant Company, LLC',
    postal: '1012',
    timezone: 'Europe/Amsterdam',
  },
  '203.0.113.40': {
    ip: '203.0.113.40',
    city: 'Hangzhou',
    region: 'Zhejiang',
    country: 'CN',
    loc: '30.2936,120.1614',
    org: 'AS37963 Hangzhou Alibaba Advertising Co.,Ltd.',
    timezone: 'Asia/Shanghai',
  },
  '203.0.113.41': {
    ip: '203.0.113.41',
    city: 'Hangzhou',
    region: 'Zhejiang',
    country: 'CN',
    loc: '30.2936,120.1614',
    org: 'AS37963 Hangzhou Alibaba Advertising Co.,Ltd.',
    timezone: 'Asia/Shanghai',
  },
  '198.51.100.22': {
    ip: '198.51.100.22',
    city: 'Singapore',
    region: 'Singapore',
    country: 'SG',
    loc: '1.2897,103.8501',
    postal: '018989',
    timezone: 'Asia/Singapore',
    asn: {
      asn: 'AS14061',
      name: 'DigitalOcean, LLC',
      domain: 'digitalocean.com',
      route: '198.51.100.0/24',
      type: 'hosting',
    },
  },
  '203.0.113.42': {
    ip: '203.0.113.42',
    asn: 'AS45102',
    as_name: 'Alibaba (US) Technology Co., Ltd.',
    as_domain: 'alibabacloud.com',
    country_code: 'CN',
    country: 'China',
    continent_code: 'AS',
    continent: 'Asia',
  },
  '198.51.100.21': {
    ip: '198.51.100.21',
    city: 'Frankfurt am Main',
    region: 'Hesse',
    country: 'DE',
    loc: '50.1155,8.6842',
    org: 'AS14061 DigitalOcean, LLC',
    postal: '60313',
    timezone: 'Europe/Berlin',
  },
  '192.0.2.32': {
    ip: '192.0.2.32',
    hostname: '192.0.2.32.vultrusercontent.com',
    city: 'Tokyo',
    region: 'Tokyo',
    country: 'JP',
    loc: '35.6895,139.6917',
    timezone: 'Asia/Tokyo',
  },
};

/** The AS the fake reports for public addresses it has no entry for (a documentation ASN, RFC 5398). */
export const IPINFO_DEFAULT_ORG = 'AS64496 Example Transit Networks';
