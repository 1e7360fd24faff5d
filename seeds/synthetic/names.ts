// Synthetic names and places: ten cities with real districts (administrative division codes, as
// used in the first six digits of a national ID) and approximate real coordinates, Chinese-style
// personal and company names with their pinyin, streets. All invented people are fictional.
import type { Rng } from './random';

export interface District {
  name: string; // pinyin, as stored in customer.district / service_point.district
  zh: string;
  code: string; // GB/T 2260 division code
  lat: number;
  lng: number;
}

export interface City {
  name: string; // English, as in partner.cities
  zh: string;
  /** Relative size of the customer base. */
  weight: number;
  lat: number;
  lng: number;
  districts: District[];
  streets: string[];
}

const d = (name: string, zh: string, code: string, lat: number, lng: number): District => ({ name, zh, code, lat, lng });

export const CITIES: City[] = [
  {
    name: 'Beijing', zh: '北京', weight: 15, lat: 39.9042, lng: 116.4074,
    districts: [
      d('Dongcheng', '东城', '110101', 39.9288, 116.4164), d('Xicheng', '西城', '110102', 39.9123, 116.366),
      d('Chaoyang', '朝阳', '110105', 39.9215, 116.4436), d('Fengtai', '丰台', '110106', 39.8586, 116.287),
      d('Shijingshan', '石景山', '110107', 39.9056, 116.2229), d('Haidian', '海淀', '110108', 39.9599, 116.2981),
      d('Tongzhou', '通州', '110112', 39.9093, 116.6566), d('Changping', '昌平', '110114', 40.2206, 116.2312),
    ],
    streets: ['Jianguo Road', 'Chang\'an Avenue', 'Zhongguancun Street', 'Wangfujing Street', 'Dongsanhuan Road', 'Chaoyangmen Street', 'Xueyuan Road', 'Guangqu Road'],
  },
  {
    name: 'Shanghai', zh: '上海', weight: 16, lat: 31.2304, lng: 121.4737,
    districts: [
      d('Huangpu', '黄浦', '310101', 31.2316, 121.4845), d('Xuhui', '徐汇', '310104', 31.1885, 121.4365),
      d('Changning', '长宁', '310105', 31.2204, 121.4246), d('Jing\'an', '静安', '310106', 31.229, 121.448),
      d('Putuo', '普陀', '310107', 31.2495, 121.3972), d('Hongkou', '虹口', '310109', 31.2646, 121.5052),
      d('Yangpu', '杨浦', '310110', 31.2595, 121.526), d('Minhang', '闵行', '310112', 31.1129, 121.3817),
      d('Pudong', '浦东', '310115', 31.2215, 121.5447),
    ],
    streets: ['Nanjing Road', 'Huaihai Road', 'Century Avenue', 'Zhaojiabang Road', 'Siping Road', 'Hongqiao Road', 'Zhangyang Road', 'Caoxi Road'],
  },
  {
    name: 'Shenzhen', zh: '深圳', weight: 11, lat: 22.5431, lng: 114.0579,
    districts: [
      d('Luohu', '罗湖', '440303', 22.5484, 114.1315), d('Futian', '福田', '440304', 22.5214, 114.0552),
      d('Nanshan', '南山', '440305', 22.5333, 113.9304), d('Bao\'an', '宝安', '440306', 22.555, 113.883),
      d('Longgang', '龙岗', '440307', 22.7209, 114.247), d('Longhua', '龙华', '440309', 22.6966, 114.0447),
    ],
    streets: ['Shennan Avenue', 'Binhe Avenue', 'Keyuan Road', 'Xinzhou Road', 'Bao\'an Avenue', 'Longgang Avenue', 'Huaqiang North Road'],
  },
  {
    name: 'Guangzhou', zh: '广州', weight: 12, lat: 23.1291, lng: 113.2644,
    districts: [
      d('Liwan', '荔湾', '440103', 23.1259, 113.244), d('Yuexiu', '越秀', '440104', 23.129, 113.2668),
      d('Haizhu', '海珠', '440105', 23.0839, 113.3172), d('Tianhe', '天河', '440106', 23.1247, 113.3612),
      d('Baiyun', '白云', '440111', 23.1575, 113.273), d('Huangpu', '黄埔', '440112', 23.1063, 113.4594),
      d('Panyu', '番禺', '440113', 22.9376, 113.384),
    ],
    streets: ['Tianhe Road', 'Huanshi East Road', 'Zhongshan Avenue', 'Jiefang North Road', 'Xingang West Road', 'Baiyun Avenue', 'Panyu Avenue'],
  },
  {
    name: 'Hangzhou', zh: '杭州', weight: 8, lat: 30.2741, lng: 120.1551,
    districts: [
      d('Shangcheng', '上城', '330102', 30.2425, 120.1692), d('Gongshu', '拱墅', '330105', 30.3197, 120.1421),
      d('Xihu', '西湖', '330106', 30.2596, 120.1303), d('Binjiang', '滨江', '330108', 30.2084, 120.2119),
      d('Xiaoshan', '萧山', '330109', 30.185, 120.2646), d('Yuhang', '余杭', '330110', 30.419, 120.3),
    ],
    streets: ['Wensan Road', 'Yan\'an Road', 'Jiangnan Avenue', 'Moganshan Road', 'Wener West Road', 'Shixin Road'],
  },
  {
    name: 'Chengdu', zh: '成都', weight: 10, lat: 30.5728, lng: 104.0668,
    districts: [
      d('Jinjiang', '锦江', '510104', 30.6571, 104.0832), d('Qingyang', '青羊', '510105', 30.6743, 104.0614),
      d('Jinniu', '金牛', '510106', 30.6914, 104.0518), d('Wuhou', '武侯', '510107', 30.6421, 104.0432),
      d('Chenghua', '成华', '510108', 30.6599, 104.1017), d('Shuangliu', '双流', '510116', 30.5744, 103.9237),
      d('Pidu', '郫都', '510117', 30.8083, 103.8872),
    ],
    streets: ['Renmin South Road', 'Tianfu Avenue', 'Shuncheng Street', 'Yihuan Road', 'Chunxi Road', 'Jiannan Avenue'],
  },
  {
    name: 'Wuhan', zh: '武汉', weight: 8, lat: 30.5928, lng: 114.3055,
    districts: [
      d('Jiang\'an', '江岸', '420102', 30.6007, 114.3095), d('Jianghan', '江汉', '420103', 30.6013, 114.2705),
      d('Qiaokou', '硚口', '420104', 30.5708, 114.2142), d('Hanyang', '汉阳', '420105', 30.5494, 114.2185),
      d('Wuchang', '武昌', '420106', 30.554, 114.316), d('Qingshan', '青山', '420107', 30.64, 114.385),
      d('Hongshan', '洪山', '420111', 30.5007, 114.343),
    ],
    streets: ['Jiefang Avenue', 'Zhongshan Avenue', 'Luoyu Road', 'Zhongbei Road', 'Hanyang Avenue', 'Youyi Avenue'],
  },
  {
    name: 'Xian', zh: '西安', weight: 7, lat: 34.3416, lng: 108.9398,
    districts: [
      d('Xincheng', '新城', '610102', 34.2669, 108.9605), d('Beilin', '碑林', '610103', 34.2565, 108.9408),
      d('Lianhu', '莲湖', '610104', 34.2656, 108.934), d('Baqiao', '灞桥', '610111', 34.273, 109.064),
      d('Weiyang', '未央', '610112', 34.293, 108.947), d('Yanta', '雁塔', '610113', 34.214, 108.9484),
      d('Chang\'an', '长安', '610116', 34.159, 108.907),
    ],
    streets: ['Chang\'an Road', 'Weiyang Road', 'Xiaozhai Road', 'Dongda Street', 'Keji Road', 'Fengcheng 2nd Road'],
  },
  {
    name: 'Nanjing', zh: '南京', weight: 7, lat: 32.0603, lng: 118.7969,
    districts: [
      d('Xuanwu', '玄武', '320102', 32.0486, 118.7977), d('Qinhuai', '秦淮', '320104', 32.034, 118.794),
      d('Jianye', '建邺', '320105', 32.0035, 118.732), d('Gulou', '鼓楼', '320106', 32.0665, 118.7695),
      d('Qixia', '栖霞', '320113', 32.0987, 118.909), d('Yuhuatai', '雨花台', '320114', 31.9915, 118.7796),
      d('Jiangning', '江宁', '320115', 31.953, 118.84),
    ],
    streets: ['Zhongshan Road', 'Hunan Road', 'Jiangdong Middle Road', 'Beijing East Road', 'Zhujiang Road', 'Shuanglong Avenue'],
  },
  {
    name: 'Chongqing', zh: '重庆', weight: 10, lat: 29.563, lng: 106.5516,
    districts: [
      d('Yuzhong', '渝中', '500103', 29.553, 106.569), d('Jiangbei', '江北', '500105', 29.6065, 106.5743),
      d('Shapingba', '沙坪坝', '500106', 29.541, 106.457), d('Jiulongpo', '九龙坡', '500107', 29.502, 106.511),
      d('Nan\'an', '南岸', '500108', 29.523, 106.561), d('Yubei', '渝北', '500112', 29.718, 106.631),
      d('Banan', '巴南', '500113', 29.38, 106.54),
    ],
    streets: ['Jiefangbei Pedestrian Street', 'Guanyinqiao Street', 'Yangjiaping Street', 'Sanxia Square Road', 'Jinkai Avenue', 'Nanping Road'],
  },
];

export const CITY_INDEX = new Map(CITIES.map((c, i) => [c.name, i]));

export function cityIndex(name: string): number {
  const i = CITY_INDEX.get(name);
  if (i === undefined) throw new Error(`unknown city "${name}" (known: ${CITIES.map((c) => c.name).join(', ')})`);
  return i;
}

// ---------------------------------------------------------------------------------------------
// People

/** Common surnames with rough relative frequency. */
const SURNAMES: Array<[string, string, number]> = [
  ['王', 'Wang', 72], ['李', 'Li', 70], ['张', 'Zhang', 66], ['刘', 'Liu', 53], ['陈', 'Chen', 45],
  ['杨', 'Yang', 31], ['黄', 'Huang', 24], ['赵', 'Zhao', 21], ['吴', 'Wu', 20], ['周', 'Zhou', 20],
  ['徐', 'Xu', 15], ['孙', 'Sun', 15], ['马', 'Ma', 14], ['朱', 'Zhu', 13], ['胡', 'Hu', 12],
  ['郭', 'Guo', 12], ['何', 'He', 11], ['林', 'Lin', 11], ['高', 'Gao', 10], ['罗', 'Luo', 10],
  ['郑', 'Zheng', 9], ['梁', 'Liang', 9], ['谢', 'Xie', 8], ['宋', 'Song', 7], ['唐', 'Tang', 7],
  ['许', 'Xu', 6], ['邓', 'Deng', 6], ['韩', 'Han', 6], ['冯', 'Feng', 6], ['曹', 'Cao', 6],
  ['彭', 'Peng', 5], ['曾', 'Zeng', 5], ['肖', 'Xiao', 5], ['田', 'Tian', 5], ['董', 'Dong', 5],
  ['潘', 'Pan', 4], ['袁', 'Yuan', 4], ['蒋', 'Jiang', 4], ['蔡', 'Cai', 4], ['余', 'Yu', 4],
  ['杜', 'Du', 4], ['叶', 'Ye', 4], ['程', 'Cheng', 4], ['魏', 'Wei', 3], ['苏', 'Su', 3],
  ['吕', 'Lyu', 3], ['丁', 'Ding', 3], ['任', 'Ren', 3], ['沈', 'Shen', 3], ['欧阳', 'Ouyang', 1],
];
const SURNAME_WEIGHTS = SURNAMES.map((s) => s[2]);

const GIVEN_NEUTRAL: Array<[string, string]> = [
  ['文', 'wen'], ['明', 'ming'], ['华', 'hua'], ['宇', 'yu'], ['晨', 'chen'], ['欣', 'xin'], ['思', 'si'],
  ['佳', 'jia'], ['子', 'zi'], ['雨', 'yu'], ['安', 'an'], ['嘉', 'jia'], ['一', 'yi'], ['若', 'ruo'],
  ['晓', 'xiao'], ['天', 'tian'], ['海', 'hai'], ['诗', 'shi'], ['林', 'lin'], ['远', 'yuan'],
];
const GIVEN_MALE: Array<[string, string]> = [
  ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['勇', 'yong'], ['杰', 'jie'], ['涛', 'tao'],
  ['浩', 'hao'], ['鹏', 'peng'], ['辉', 'hui'], ['俊', 'jun'], ['博', 'bo'], ['建', 'jian'], ['志', 'zhi'],
  ['斌', 'bin'], ['峰', 'feng'], ['凯', 'kai'], ['睿', 'rui'], ['泽', 'ze'], ['轩', 'xuan'],
];
const GIVEN_FEMALE: Array<[string, string]> = [
  ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'], ['婷', 'ting'],
  ['玲', 'ling'], ['萍', 'ping'], ['雪', 'xue'], ['慧', 'hui'], ['颖', 'ying'], ['琳', 'lin'], ['洁', 'jie'],
  ['倩', 'qian'], ['蕾', 'lei'], ['悦', 'yue'], ['涵', 'han'], ['萱', 'xuan'], ['瑶', 'yao'],
];

export interface PersonName {
  name: string;
  surnamePinyin: string;
  givenPinyin: string;
}

export function personName(rng: Rng, gender: 'FEMALE' | 'MALE' | 'UNDISCLOSED'): PersonName {
  const [surname, surnamePinyin] = SURNAMES[rng.weightedIndex(SURNAME_WEIGHTS)]!;
  const pool = gender === 'MALE' ? GIVEN_MALE : gender === 'FEMALE' ? GIVEN_FEMALE : GIVEN_NEUTRAL;
  const chars = rng.chance(0.72) ? [rng.pick(GIVEN_NEUTRAL), rng.pick(pool)] : [rng.pick(pool)];
  return {
    name: surname + chars.map((c) => c[0]).join(''),
    surnamePinyin,
    givenPinyin: chars.map((c) => c[1]).join(''),
  };
}

const MAIL_DOMAINS: Array<[string, number]> = [
  ['qq.com', 40], ['163.com', 22], ['126.com', 8], ['sina.com', 5], ['outlook.com', 6], ['gmail.com', 4],
  ['foxmail.com', 5], ['aliyun.com', 4], ['139.com', 6],
];

export function email(rng: Rng, person: PersonName): string {
  const domain = MAIL_DOMAINS[rng.weightedIndex(MAIL_DOMAINS.map((m) => m[1]))]![0];
  const surname = person.surnamePinyin.toLowerCase();
  const style = rng.int(0, 3);
  const local =
    style === 0
      ? `${person.givenPinyin}.${surname}`
      : style === 1
        ? `${surname}${person.givenPinyin}${rng.int(1, 999)}`
        : style === 2
          ? `${person.givenPinyin}${surname}${rng.int(1960, 2008)}`
          : `${surname.slice(0, 1)}${person.givenPinyin}_${rng.int(10, 99)}`;
  if (domain === 'qq.com' && rng.chance(0.5)) return `${rng.int(10_000_000, 3_999_999_999)}@qq.com`;
  return `${local}@${domain}`;
}

const PHONE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157',
  '158', '159', '166', '173', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '199',
];

/** 11 digits starting with 1. */
export function phone(rng: Rng): string {
  return rng.pick(PHONE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function nationalIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export function streetAddress(rng: Rng, city: City): string {
  const street = rng.pick(city.streets);
  const no = rng.int(1, 999);
  return rng.chance(0.8) ? `${no} ${street}, Building ${rng.int(1, 32)}, Room ${rng.int(1, 33)}0${rng.int(1, 6)}` : `${no} ${street}`;
}

// ---------------------------------------------------------------------------------------------
// Companies

const BRAND_SYLLABLES: Array<[string, string]> = [
  ['安', 'An'], ['途', 'tu'], ['驰', 'Chi'], ['顺', 'Shun'], ['捷', 'Jie'], ['达', 'da'], ['华', 'Hua'], ['瑞', 'Rui'],
  ['通', 'Tong'], ['畅', 'Chang'], ['鑫', 'Xin'], ['诚', 'Cheng'], ['恒', 'Heng'], ['骏', 'Jun'], ['腾', 'Teng'],
  ['远', 'Yuan'], ['鹏', 'Peng'], ['宏', 'Hong'], ['锦', 'Jin'], ['程', 'cheng'], ['联', 'Lian'], ['行', 'xing'],
  ['优', 'You'], ['快', 'Kuai'], ['车', 'Che'], ['智', 'Zhi'], ['云', 'Yun'], ['星', 'Xing'], ['力', 'li'],
  ['盛', 'Sheng'], ['和', 'He'], ['嘉', 'Jia'], ['悦', 'Yue'], ['信', 'Xin'], ['易', 'Yi'], ['迅', 'Xun'],
];

/** A two-syllable brand: { zh: '安驰', en: 'Anchi' }. */
export function brand(rng: Rng): { zh: string; en: string } {
  const a = rng.pick(BRAND_SYLLABLES);
  let b = rng.pick(BRAND_SYLLABLES);
  while (b[0] === a[0]) b = rng.pick(BRAND_SYLLABLES);
  const en = (a[1] + b[1]).toLowerCase();
  return { zh: a[0] + b[0], en: en.charAt(0).toUpperCase() + en.slice(1) };
}
