import { describe, expect, it } from 'vitest';
import { splitAddress } from './address';

describe('splitAddress', () => {
  it.each([
    [
      '浙江省杭州市西湖区文三路100号',
      { province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路100号' },
    ],
    [
      '北京市朝阳区建国路88号',
      { province: '北京市', city: '北京市', district: '朝阳区', street: '建国路88号' },
    ],
    [
      '上海浦东新区世纪大道1号',
      { province: '上海市', city: '上海市', district: '浦东新区', street: '世纪大道1号' },
    ],
    [
      '广西壮族自治区南宁市青秀区民族大道',
      { province: '广西壮族自治区', city: '南宁市', district: '青秀区', street: '民族大道' },
    ],
    [
      '江苏省 苏州市 昆山市 玉山镇人民路1号',
      { province: '江苏省', city: '苏州市', district: '昆山市', street: '玉山镇人民路1号' },
    ],
    ['杭州市余杭区文一西路', { city: '杭州市', district: '余杭区', street: '文一西路' }],
    ['阳光小区3栋2单元', { street: '阳光小区3栋2单元' }],
    ['文三路100号', { street: '文三路100号' }],
    ['广东省', { province: '广东省' }],
  ])('%s', (text, parts) => {
    expect(splitAddress(text)).toEqual(parts);
  });
});
